import { Migration } from "@mikro-orm/migrations";

/**
 * Rate limits counted in PostgreSQL, so every hub instance on the database shares them
 * (server/auth/rate-limiter.ts): one row per key (a token, or a client address) and minute.
 * Unlogged: a counter needs no WAL, nor to survive a crash, and each request writes one.
 */
export class Migration20261201131000 extends Migration {
  override name = "Migration20261201131000";

  override up(): void | Promise<void> {
    this.addSql(
      `create unlogged table "rate_limit_count" ("key" text not null, "minute" bigint not null, "count" integer not null, constraint "rate_limit_count_pkey" primary key ("key", "minute"));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "rate_limit_count";`);
  }
}

import { Migration } from "@mikro-orm/migrations";

export class Migration20261123105343 extends Migration {
  override name = "Migration20261123105343";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "api_token" ("id" serial primary key, "name" text not null, "role" text not null, "council_gss_codes" text[] null, "secret_hash" text not null, "created_at" timestamptz not null, "created_by" text not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null);`,
    );
    this.addSql(
      `alter table "api_token" add constraint "api_token_name_unique" unique ("name");`,
    );

    this.addSql(
      `create table "audit_event" ("id" serial primary key, "at" timestamptz not null, "actor" text not null, "action" text not null, "details" jsonb not null);`,
    );
    this.addSql(`create index "audit_event_at_index" on "audit_event" ("at");`);

    this.addSql(
      `alter table "api_token" add constraint "api_token_role_check" check ("role" in ('VIEWER', 'ANALYST', 'FINANCE', 'ADMIN'));`,
    );

    this.addSql(
      `alter table "audit_event" add constraint "audit_event_action_check" check ("action" in ('IMPORT', 'EXPORT', 'TOKEN_CREATED', 'TOKEN_REVOKED'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "api_token" cascade;`);
    this.addSql(`drop table if exists "audit_event" cascade;`);
  }
}

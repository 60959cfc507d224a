import type { MikroORM } from "@mikro-orm/postgresql";
import { setTimeout as sleep } from "node:timers/promises";
import { ConfigurationError } from "../errors/hub-error.js";
import { connectPostgres } from "./connect-postgres.js";
import { settleWithin } from "./settle-within.js";

/** The session-level advisory lock held while migrations run ("MG", 0). */
const MIGRATION_LOCK = [0x4d47, 0] as const;

/** How long an instance waits for another's migrations, by default. */
export const MIGRATION_LOCK_WAIT_MS = 10 * 60_000;

/**
 * Runs `body` (migrations, and what must follow them before anyone else starts: the council
 * register's load) while holding the migration lock, on a connection of its own: two hub instances
 * started at once on one database run their migrations one after the other, and the second finds
 * nothing left to do. Polls rather than blocking in PostgreSQL, so the statement timeout never
 * cuts the wait short; throws after `waitMs`. The lock goes with the connection if the process dies.
 */
export async function withMigrationLock<T>(
  orm: MikroORM,
  body: () => Promise<T>,
  waitMs = MIGRATION_LOCK_WAIT_MS,
): Promise<T> {
  const client = await connectPostgres(orm.config.get("clientUrl")!);
  try {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const [row] = (
        await client.query<{ locked: boolean }>(
          "select pg_try_advisory_lock($1, $2) as locked",
          [...MIGRATION_LOCK],
        )
      ).rows;
      if (row?.locked) break;
      if (Date.now() > deadline)
        throw new ConfigurationError(
          `Another hub instance has been migrating this database for over ${Math.round(waitMs / 60_000)} minutes: check it, then start again.`,
        );
      await sleep(100 + Math.random() * 100);
    }
    return await body();
  } finally {
    // Ending the session releases the lock.
    await settleWithin(client.end());
  }
}

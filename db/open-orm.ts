import { MikroORM } from "@mikro-orm/postgresql";
import type { Options } from "@mikro-orm/postgresql";
import { withMigrationLock } from "./migration-lock.js";
import { ormConfig } from "./orm-config.js";

/** Connects MikroORM to the database at `url` (no schema changes; see `migrate`). */
export async function openOrm(
  url: string,
  overrides: Partial<Options> = {},
): Promise<MikroORM> {
  return MikroORM.init(ormConfig(url, overrides));
}

/**
 * Applies every pending committed migration, then runs `andThen` (start-up work that must not run
 * twice at once), under the migration lock (see withMigrationLock); returns the names applied.
 */
export async function migrate(
  orm: MikroORM,
  andThen?: () => Promise<unknown>,
): Promise<string[]> {
  return withMigrationLock(orm, async () => {
    const applied = await orm.migrator.up();
    await andThen?.();
    return applied.map((m) => m.name);
  });
}

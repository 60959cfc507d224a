import { MikroORM } from "@mikro-orm/postgresql";
import type { Options } from "@mikro-orm/postgresql";
import { ormConfig } from "./orm-config.js";

/** Connects MikroORM to the database at `url` (no schema changes; see `migrate`). */
export async function openOrm(
  url: string,
  overrides: Partial<Options> = {},
): Promise<MikroORM> {
  return MikroORM.init(ormConfig(url, overrides));
}

/** Applies every pending committed migration; returns the names applied. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

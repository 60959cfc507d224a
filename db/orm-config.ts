import { ReflectMetadataProvider } from "@mikro-orm/decorators/legacy";
import { Migrator } from "@mikro-orm/migrations";
import { defineConfig, type Options } from "@mikro-orm/postgresql";
import { fileURLToPath } from "node:url";
import { migrations } from "../migrations/index.js";
import { entities } from "../schema/entities.js";

/** The TypeScript source folder of the migrations, where `sshub migration:create` writes new ones. */
export const migrationsSourceDir = fileURLToPath(
  new URL("../../migrations", import.meta.url),
).replace(/\/dist\/\.\.\/migrations$/, "/migrations");

/**
 * The one MikroORM configuration of the hub. Entities and migrations are listed explicitly (no globs),
 * so the same configuration works from TypeScript sources under vitest and from compiled `dist/`.
 * The schema is never synchronised at run time: it changes only through the committed migrations.
 */
export function ormConfig(
  clientUrl: string,
  overrides: Partial<Options> = {},
): Options {
  return defineConfig({
    clientUrl,
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    discovery: { checkDuplicateTableNames: true },
    migrations: {
      migrationsList: migrations,
      path: migrationsSourceDir,
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      emit: "ts",
      silent: true,
    },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    pool: { min: 0, max: 10 },
    ...overrides,
  });
}

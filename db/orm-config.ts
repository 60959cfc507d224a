import { ReflectMetadataProvider } from "@mikro-orm/decorators/legacy";
import { Migrator } from "@mikro-orm/migrations";
import { defineConfig, type Options } from "@mikro-orm/postgresql";
import type { Pool } from "pg";
import { fileURLToPath } from "node:url";
import { ConfigurationError } from "../errors/hub-error.js";
import { migrations } from "../migrations/index.js";
import { entities } from "../schema/entities.js";
import { watchPool } from "../observability/pool-metrics.js";
import { cancelQueriesOnAbort } from "./cancel-on-abort.js";
import { followClusterPort } from "./cluster-port.js";

/** The statement timeout when SSHUB_STATEMENT_TIMEOUT_MS is unset: a million-row import's longest statement takes a few seconds. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/**
 * PostgreSQL's `statement_timeout` for every connection of the hub, from `SSHUB_STATEMENT_TIMEOUT_MS`
 * (milliseconds; 0 turns it off): a statement that runs longer is cancelled by PostgreSQL itself.
 */
export function statementTimeoutFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): number {
  const text = env.SSHUB_STATEMENT_TIMEOUT_MS?.trim();
  if (!text) return DEFAULT_STATEMENT_TIMEOUT_MS;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0)
    throw ConfigurationError.notWholeNumber(
      "SSHUB_STATEMENT_TIMEOUT_MS",
      text,
      "milliseconds",
      0,
    );
  return value;
}

/**
 * The `statement_timeout` (ms) the ORM's connections have, for a connection of its own opened beside
 * the pool (connectPostgres) that must keep the same limit; undefined for none.
 */
export function ormStatementTimeoutMs(orm: {
  config: { get(key: "driverOptions"): unknown };
}): number | undefined {
  const options = orm.config.get("driverOptions") as
    { statement_timeout?: unknown } | undefined;
  const ms = options?.statement_timeout;
  return typeof ms === "number" && ms > 0 ? ms : undefined;
}

/**
 * Whether `error` is PostgreSQL cancelling a statement that passed `statement_timeout` (SQLSTATE
 * 57014). Also when it says "due to user request": a timeout that fires just as its statement ends
 * cancels the connection's next statement, and PostgreSQL words that cancel as a user's (seen 3 times
 * in 20,000 statements at statement_timeout 1 ms). The hub itself never cancels a statement: work
 * stopped on purpose has its connection terminated instead (db/cancel-on-abort.ts, SQLSTATE 57P01).
 */
export function isStatementTimeout(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === "57014" &&
    /statement timeout|due to user request/.test(error.message)
  );
}

/** The TypeScript source folder of the migrations, where `sshub migration:create` writes new ones. */
export const migrationsSourceDir = fileURLToPath(
  new URL("../../migrations", import.meta.url),
).replace(/\/dist\/\.\.\/migrations$/, "/migrations");

/**
 * The one MikroORM configuration of the hub. Entities and migrations are listed explicitly (no globs),
 * so the same configuration works from TypeScript sources under vitest and from compiled `dist/`.
 * The schema is never synchronised at run time: it changes only through the committed migrations.
 * Every connection has the statement timeout, and stops its statement when the work it serves is
 * aborted (`cancelQueriesOnAbort`); the pool is counted in the database-pool metrics.
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
    // Tables the hub keeps with plain SQL and no entity (the shared rate-limit counters, the uploads'
    // chunks): the schema comparison leaves them to their migrations.
    schemaGenerator: { skipTables: ["rate_limit_count", "import_job_chunk"] },
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
    driverOptions: {
      statement_timeout: statementTimeoutFromEnv() || undefined,
      onPoolCreated: (pool: Pool) => {
        cancelQueriesOnAbort(pool);
        watchPool(pool);
        followClusterPort(pool);
      },
    },
    ...overrides,
  });
}

import { createRequire } from "node:module";

/** The part of a `pg` client the db helpers use (`pg` ships no type declarations of its own). */
export interface PostgresClient {
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: Row[] }>;
  end(): Promise<void>;
}

interface PgClient extends PostgresClient {
  connect(): Promise<void>;
  on(event: "error", listener: (error: Error) => void): void;
}

interface PgModule {
  Client: new (config: {
    connectionString: string;
    connectionTimeoutMillis: number;
    ssl?: false;
    statement_timeout?: number;
  }) => PgClient;
}

const require = createRequire(import.meta.url);

/**
 * Opens one connection (no pool) to url, for health checks and admin statements. `ssl: false`
 * overrides PGSSLMODE from the environment, which the embedded server (no TLS) cannot honour;
 * `statementTimeoutMs` sets the connection's `statement_timeout` (none when absent or 0).
 */
export async function connectPostgres(
  url: string,
  options: {
    timeoutMs?: number;
    ssl?: false;
    statementTimeoutMs?: number;
  } = {},
): Promise<PostgresClient> {
  const { Client } = require("pg") as PgModule;
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: options.timeoutMs ?? 5_000,
    ...(options.ssl === false ? { ssl: false as const } : {}),
    ...(options.statementTimeoutMs
      ? { statement_timeout: options.statementTimeoutMs }
      : {}),
  });
  // A server that shuts down under an idle client emits 'error'; unhandled, that would crash the process.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return client;
}

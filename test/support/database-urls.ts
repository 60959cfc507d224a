import pg from "pg";

/** The template every test database is copied from. */
export const TEMPLATE_DATABASE = "sshub_test_template";

/** The same server URL, pointing at another database. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs `body` with a client connected to the server's `postgres` database, for CREATE/DROP DATABASE. */
export async function adminConnection<T>(
  url: string,
  body: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: databaseUrl(url, "postgres"),
  });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

import { connectPostgres } from "./connect-postgres.js";

/** url with its database name replaced by name. */
export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}

/**
 * Creates the database name on the server of url unless it exists (connecting to the `postgres`
 * maintenance database, since name may not exist yet); returns url pointing at name.
 */
export async function ensureDatabase(
  url: string,
  name: string,
  options: { ssl?: false } = {},
): Promise<string> {
  const client = await connectPostgres(
    withDatabaseName(url, "postgres"),
    options,
  );
  try {
    const { rows } = await client.query(
      "SELECT 1 FROM pg_database WHERE datname = $1",
      [name],
    );
    if (rows.length === 0) {
      try {
        await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      } catch (error) {
        // Another process created it between our check and CREATE: that is what we wanted.
        const code = (error as { code?: string }).code;
        if (code !== "42P04" && code !== "23505") throw error;
      }
    }
  } finally {
    await client.end().catch(() => {});
  }
  return withDatabaseName(url, name);
}

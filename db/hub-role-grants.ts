/** A PostgreSQL identifier, quoted. */
function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * What a hub instance's own database role needs, and no more, on a database whose tables another
 * role (the one that runs `sshub migrate`) owns: connect, temporary tables (the import's staging
 * table), and reading and writing the rows of every table in `public` and in the import queue's
 * schema `pgboss`, with their sequences (and pg-boss's functions). The
 * default privileges give the same on tables later migrations create, when `owner` runs them. No
 * superuser: the bulk write keeps PostgreSQL's per-row foreign-key checks (importers/referenced-keys.ts),
 * and advisory locks and cancelling its own statements need no grant. Run as the owner (or an admin).
 */
export function hubRoleGrants(
  role: string,
  database: string,
  owner: string,
): string[] {
  const r = quoted(role);
  return [
    `grant connect, temporary on database ${quoted(database)} to ${r}`,
    `grant usage on schema public to ${r}`,
    `grant select, insert, update, delete on all tables in schema public to ${r}`,
    `grant usage, select, update on all sequences in schema public to ${r}`,
    `alter default privileges for role ${quoted(owner)} in schema public grant select, insert, update, delete on tables to ${r}`,
    `alter default privileges for role ${quoted(owner)} in schema public grant usage, select, update on sequences to ${r}`,
    // The import queue's own schema (pg-boss, created by Migration20261201130000): its rows and functions.
    `grant usage on schema pgboss to ${r}`,
    `grant select, insert, update, delete on all tables in schema pgboss to ${r}`,
    `grant usage, select, update on all sequences in schema pgboss to ${r}`,
    `grant execute on all functions in schema pgboss to ${r}`,
    `alter default privileges for role ${quoted(owner)} in schema pgboss grant select, insert, update, delete on tables to ${r}`,
    `alter default privileges for role ${quoted(owner)} in schema pgboss grant usage, select, update on sequences to ${r}`,
  ];
}

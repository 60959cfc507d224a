import type { EntityManager } from "@mikro-orm/postgresql";
import { executeBound } from "./bound-statement.js";
import type { FigureChunk } from "./figure-chunk.js";

/**
 * Foreign-key checks done once per referenced row instead of once per figure. PostgreSQL checks each
 * inserted figure's four references with a query of its own, which is half the cost of a bulk write;
 * here each service and council a chunk references is locked FOR KEY SHARE (exactly what those
 * checks do, so none can be deleted before commit) and counted, and the chunk is then written with
 * the per-row checks off (`session_replication_role = replica`, as pg_restore does). Only for roles
 * allowed to set that parameter (superusers, such as the embedded database's).
 */
export class ReferencedKeys {
  private readonly services = new Set<number>();
  private readonly councils = new Set<number>();

  private constructor() {}

  /** A tracker for this transaction, or null when the role may not skip the per-row checks. */
  static async forTransaction(
    em: EntityManager,
    importRunId: number,
  ): Promise<ReferencedKeys | null> {
    const [row] = await em.execute<{ allowed: boolean }[]>(
      `select current_setting('server_version_num')::int >= 150000
         and has_parameter_privilege('session_replication_role', 'SET') as allowed`,
    );
    if (!row?.allowed) return null;
    await em.execute("select id from import_run where id = ? for key share", [
      importRunId,
    ]);
    return new ReferencedKeys();
  }

  /** Locks the chunk's services and councils not locked yet; throws if any has gone. */
  async lock(
    em: EntityManager,
    chunk: FigureChunk,
    reportedBy: number | null,
  ): Promise<void> {
    const { services, councils } = chunk.references();
    if (reportedBy !== null) councils.add(reportedBy);
    for (const [table, wanted, locked] of [
      ["service", services, this.services],
      ["council", councils, this.councils],
    ] as const) {
      const ids = [...wanted].filter((id) => !locked.has(id));
      if (ids.length === 0) continue;
      const found = await executeBound<{ id: number }>(
        em,
        `select id from ${table} where id = any($1::int[]) for key share`,
        [`{${ids.join(",")}}`],
      );
      if (found.length !== ids.length)
        throw new Error(
          `${ids.length - found.length} ${table} row(s) referenced by the import were deleted meanwhile`,
        );
      for (const id of ids) locked.add(id);
    }
  }
}

/**
 * Runs `write`, a statement writing `chunk`, with the per-row checks off once the chunk's services
 * and councils are locked; without `keys` (a role that may not), as it is.
 */
export async function writeWithLockedKeys<T>(
  em: EntityManager,
  keys: ReferencedKeys | null,
  chunk: FigureChunk,
  reportedBy: number | null,
  write: () => Promise<T>,
): Promise<T> {
  if (!keys) return write();
  await keys.lock(em, chunk, reportedBy);
  await em.execute("set local session_replication_role = replica");
  const result = await write();
  await em.execute("set local session_replication_role = origin");
  return result;
}

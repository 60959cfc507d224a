import DataLoader from "dataloader";
import type { EntityManager } from "@mikro-orm/postgresql";
import { Council } from "../schema/council.js";

/** The per-request DataLoaders: one batch (a fixed number of SQL statements) per level of a query. */
export interface Loaders {
  /** A council's successors, by council id. */
  councilSuccessors: DataLoader<number, Council[]>;
  /** A council's predecessors, by council id. */
  councilPredecessors: DataLoader<number, Council[]>;
}

/** Makes a fresh set of loaders for one request, bound to that request's EntityManager. */
export function createLoaders(em: EntityManager): Loaders {
  return {
    councilSuccessors: new DataLoader((ids) =>
      loadSuccession(em, ids, "predecessor_id", "successor_id"),
    ),
    councilPredecessors: new DataLoader((ids) =>
      loadSuccession(em, ids, "successor_id", "predecessor_id"),
    ),
  };
}

async function loadSuccession(
  em: EntityManager,
  ids: readonly number[],
  from: "predecessor_id" | "successor_id",
  to: "predecessor_id" | "successor_id",
): Promise<Council[][]> {
  // One statement per batch: the links and the linked councils together, mapped into the identity map.
  const rows = await em
    .getConnection()
    .execute<(Record<string, unknown> & { link_from: number })[]>(
      `select cs.${from} as link_from, c.* from council_succession cs join council c on c.id = cs.${to}
       where cs.${from} in (?) order by c.gss_code`,
      [ids as number[]],
    );
  const byId = new Map<number, Council[]>(ids.map((id) => [id, []]));
  for (const { link_from, ...council } of rows)
    byId.get(link_from)?.push(em.map(Council, council));
  return ids.map((id) => byId.get(id) ?? []);
}

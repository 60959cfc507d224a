import type { EntityClass } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { mapEntity, runSql, type SqlConditions } from "../loading/sql-rows.js";
import {
  offsetConnection,
  pageWindow,
  type ConnectionShape,
} from "./connection.js";

/** A root list: rows of one entity's table (`alias`) with optional joins, conditions and a stable order. */
export interface ListQuery {
  /** `service s`, with any joins the conditions need. */
  from: string;
  alias: string;
  where: SqlConditions;
  /** The stable order, ending with a unique column. */
  order: string;
}

/**
 * One page of a root list in one statement (one row more than asked, to know whether a next page
 * exists); the total is counted in a second statement only when the client asks for `totalCount`.
 */
export async function offsetList<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  query: ListQuery,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<ConnectionShape<T>> {
  const { offset, limit } = pageWindow(first, after);
  const rows = await runSql(
    em,
    `select ${query.alias}.* from ${query.from} ${query.where.where}
     order by ${query.order} limit ? offset ?`,
    [...query.where.params, limit + 1, offset],
  );
  const count = async () => {
    const [row] = await runSql<{ n: number }>(
      em,
      `select count(*)::int as n from ${query.from} ${query.where.where}`,
      query.where.params,
    );
    return row?.n ?? 0;
  };
  return offsetConnection(
    rows.map((row) => mapEntity(em, entity, row)),
    offset,
    limit,
    count,
  );
}

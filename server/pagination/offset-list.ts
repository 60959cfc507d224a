import type { EntityClass } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { GraphQLResolveInfo } from "graphql";
import {
  mapEntity,
  orderColumns,
  runSql,
  type Row,
  type SqlConditions,
} from "../loading/sql-rows.js";
import {
  loadRootWithChildren,
  type ChildPrefetch,
} from "../loading/root-with-children.js";
import type { Columns } from "../loading/selected-columns.js";
import { selectsField } from "./selects-field.js";
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
 * exists). When the client asks for `totalCount` (`info`), the same statement counts the whole
 * list (a window count before the limit); a page past the end, which has no row to carry the
 * count, counts in a second statement. The pages of child lists in `children` (the ones the request
 * selects under each row) come back in the same statement (loadRootWithChildren); the list's
 * order may then name only its own alias's columns. With `columns` (see selectedColumns), the rows
 * carry only those and the columns of the order.
 */
export async function offsetList<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  query: ListQuery,
  first: number | null | undefined,
  after: string | null | undefined,
  info?: GraphQLResolveInfo,
  children: readonly ChildPrefetch[] = [],
  columns: Columns = null,
): Promise<ConnectionShape<T>> {
  const { offset, limit } = pageWindow(first, after);
  const withTotal = info !== undefined && selectsField(info, "totalCount");
  const selected = columns
    ? [
        ...new Set([
          ...columns,
          // The order is restated over these columns when the page is a CTE (loadRootWithChildren).
          ...orderColumns(query.order, query.alias),
        ]),
      ]
        .map((column) => `${query.alias}.${column}`)
        .join(", ")
    : `${query.alias}.*`;
  const page = {
    sql: `select ${selected}${withTotal ? ", (count(*) over ())::int as _total" : ""}
     from ${query.from} ${query.where.where}
     order by ${query.order} limit ? offset ?`,
    params: [...query.where.params, limit + 1, offset],
  };
  const rows: (Row & { _total?: number })[] = children.length
    ? await loadRootWithChildren(
        em,
        { ...page, alias: query.alias, order: query.order },
        children,
      )
    : await runSql(em, page.sql, page.params);
  const count = async () => {
    const [row] = await runSql<{ n: number }>(
      em,
      `select count(*)::int as n from ${query.from} ${query.where.where}`,
      query.where.params,
    );
    return row?.n ?? 0;
  };
  return offsetConnection(
    rows.map((row) => mapEntity(em, entity, row, columns)),
    offset,
    limit,
    rows[0]?._total ?? count,
  );
}

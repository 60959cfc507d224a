import type { EntityClass } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { mapEntity, runSql, type Row } from "./sql-rows.js";

/** One parent's page of a nested list: up to `limit + 1` items (the extra one says more follow) and the list's total. */
export interface ChildPage<T> {
  items: T[];
  total: number;
}

/** What a nested list selects: rows of the entity's table, each with the `_parent_id` it belongs to. */
export interface ChildQuery {
  /** Selects `_parent_id` and the entity's columns for the parents bound to its `(?)`. */
  sql: string;
  params: unknown[];
  /** The list's stable order over the columns of `sql` (aliased `t`), ending with a unique column. */
  order: string;
  /** Called with each row of a page: hands objects joined into the row to other loaders. */
  prime?: (row: Row) => void;
}

/**
 * Loads one page of a nested list for many parents in one statement: the rows are numbered per
 * parent by a window function, so the statement count does not grow with the number of parents.
 * Position 0 always comes back so that a page past the end still knows the list's total.
 */
export async function loadChildPages<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  parentIds: readonly number[],
  query: ChildQuery,
  offset: number,
  limit: number,
): Promise<ChildPage<T>[]> {
  const rows = await runSql<{
    _parent_id: number;
    _position: number;
    _total: number;
  }>(
    em,
    `select * from (
       select t.*, (row_number() over w - 1)::int as _position,
         (count(*) over (partition by t._parent_id))::int as _total
       from (${query.sql}) t window w as (partition by t._parent_id order by ${query.order})
     ) ranked where (_position >= ? and _position <= ?) or _position = 0
     order by _parent_id, _position`,
    [...query.params, offset, offset + limit],
  );
  const pages = new Map<number, ChildPage<T>>(
    parentIds.map((id) => [id, { items: [], total: 0 }]),
  );
  for (const row of rows) {
    const page = pages.get(row._parent_id);
    if (!page) continue;
    page.total = row._total;
    if (row._position < offset) continue;
    page.items.push(mapEntity(em, entity, row));
    query.prime?.(row);
  }
  return parentIds.map((id) => pages.get(id) ?? { items: [], total: 0 });
}

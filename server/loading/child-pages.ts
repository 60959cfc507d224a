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
  /** The columns besides the entity's that `sql` adds for `prime` (`_host`): kept when a page is folded to some columns. */
  joined?: readonly string[];
  /**
   * Called with each row of a page and the object read from it: hands objects joined into the row
   * to other loaders, or to the object itself.
   */
  prime?: (row: Row, item: object) => void;
}

/** The parents a child list is read for: a parenthesised id list or subquery, with its parameters. */
export interface ParentIds {
  /** `(?)` bound to an id list, or `(select id from root)` inside a statement that has the root. */
  sql: string;
  params: unknown[];
}

/** The parents of a DataLoader batch, bound as a list. */
export const parentIdList = (ids: readonly number[]): ParentIds => ({
  sql: "(?)",
  params: [ids],
});

/** A ranked child row: the entity's columns and whatever its query joined, with its place in the parent's list. */
export type ChildRow = Row & {
  _parent_id: number;
  _position: number;
  _total: number;
};

/**
 * The statement that selects one page (`offset`, `limit + 1` rows) of every parent's children,
 * each row numbered within its parent by a window function, so that the statement count does not
 * grow with the number of parents. Position 0 always comes back so that a page past the end still
 * knows the list's total. A `limit` of null selects every child (a list that is not paged).
 */
export function childPagesSql(
  query: ChildQuery,
  offset: number,
  limit: number | null,
): { sql: string; params: unknown[] } {
  const window =
    limit === null
      ? ""
      : "where (_position >= ? and _position <= ?) or _position = 0";
  return {
    sql: `select * from (
       select t.*, (row_number() over w - 1)::int as _position,
         (count(*) over (partition by t._parent_id))::int as _total
       from (${query.sql}) t window w as (partition by t._parent_id order by ${query.order})
     ) ranked ${window}
     order by _parent_id, _position`,
    params:
      limit === null
        ? [...query.params]
        : [...query.params, offset, offset + limit],
  };
}

/** Selects every parent's children in the list's order, with no paging (a list field that is not paged). */
export function childListSql(query: ChildQuery): {
  sql: string;
  params: unknown[];
} {
  return {
    sql: `select t.* from (${query.sql}) t order by ${query.order}`,
    params: query.params,
  };
}

/** Sorts ranked child rows (childPagesSql's, in parent and position order) into each parent's page. */
export function toChildPages<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  parentIds: readonly number[],
  rows: readonly ChildRow[],
  query: Pick<ChildQuery, "prime">,
  offset: number,
): ChildPage<T>[] {
  const pages = new Map<number, ChildPage<T>>(
    parentIds.map((id) => [id, { items: [], total: 0 }]),
  );
  for (const row of rows) {
    const page = pages.get(row._parent_id);
    if (!page) continue;
    page.total = row._total;
    if (row._position < offset) continue;
    const item = mapEntity(em, entity, row);
    page.items.push(item);
    query.prime?.(row, item);
  }
  return parentIds.map((id) => pages.get(id) ?? { items: [], total: 0 });
}

/** Loads one page of a nested list for many parents in one statement (see childPagesSql). */
export async function loadChildPages<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  parentIds: readonly number[],
  query: ChildQuery,
  offset: number,
  limit: number,
): Promise<ChildPage<T>[]> {
  const { sql, params } = childPagesSql(query, offset, limit);
  const rows = await runSql<ChildRow>(em, sql, params);
  return toChildPages(em, entity, parentIds, rows, query, offset);
}

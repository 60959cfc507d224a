import type { EntityClass } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { ChildPage, ChildQuery, ParentIds } from "./child-pages.js";
import { runPrepared } from "./prepared-sql.js";
import type { Columns } from "./selected-columns.js";
import {
  exactColumnsSql,
  exactJsonSql,
  mapEntity,
  orderColumns,
  type Row,
} from "./sql-rows.js";

/** The rows of a root field: a statement selecting them (each with an `id`) and their order. */
export interface RootQuery {
  /** Selects the root rows' columns; its order is restated by `order`. */
  sql: string;
  params: unknown[];
  /** The alias `order` names the root rows by. */
  alias: string;
  /** The root rows' order over their own columns (`p.name, p.id`). */
  order: string;
}

/** A page of child lists the request selects under each root row, to read in the root's statement. */
export interface ChildPrefetch {
  entity: EntityClass<object>;
  /** The child list's query for a set of parents. */
  query: (parents: ParentIds) => ChildQuery;
  offset: number;
  /** The page size; null: the whole list (a list field that is not paged). */
  limit: number | null;
  /**
   * The child columns the page's rows carry (see selectedColumns); null: every column. A page of
   * some columns must be primed only into a loader keyed by them (the child field's resolver works
   * out the same columns from its own selection), never into one other fields read from.
   */
  columns?: Columns;
  /** Hands a root row's page to the loader the child field's resolver reads it from. */
  prime: (parentId: number, page: ChildPage<object>) => void;
}

/** A value of each root row other than a child list (a summary), to read in the root's statement. */
export interface RootValuePrefetch {
  /** A scalar subquery of the value for the parents `parent` (inside the statement: the root row). */
  query: (parent: ParentIds) => { sql: string; params: unknown[] };
  /** Hands a root row's value to the loader its field's resolver reads it from. */
  prime: (parentId: number, value: unknown) => void;
}

// Each root row, to its child lists inside the same statement: `(_parent.id)` is the one parent a
// child list's query is read for (a name no child query uses for its own tables).
const ROOT_ROW: ParentIds = { sql: "(_parent.id)", params: [] };

/**
 * Reads the root rows and the selected pages of their child lists in ONE statement. The root is a
 * CTE; for each root row, each child list is read by its own query for that one parent, sorted and
 * cut to the page (`order by … limit … offset …`, what loadChildPages' window ranks over a batch of
 * parents), its rows folded into one JSON array (exact: exactJsonSql) and its total counted beside
 * it. So PostgreSQL reads each parent's page through its index and stops at the page's end, instead
 * of ranking every child of every parent first. Each root row's page is primed into the child's
 * loader, so the child fields' resolvers, which read their loaders as before, cost no statement.
 * Returns the root rows in order (the arrays are `_child_N`, the totals `_child_N_total`). The
 * statement is prepared (runPrepared): its text depends only on the request's shape. `values`
 * (`_value_N`) are read and primed the same way.
 */
export async function loadRootWithChildren(
  em: EntityManager,
  root: RootQuery,
  children: readonly ChildPrefetch[],
  values: readonly RootValuePrefetch[] = [],
): Promise<Row[]> {
  const params = [...root.params];
  const columns = [`${root.alias}.*`];
  const queries = children.map((child, i) => {
    const query = child.query(ROOT_ROW);
    // The page's rows keep the alias `t` the query's order is written over. Folded to some
    // columns, a page's rows are those columns (and the order's, and what the query joined for
    // its prime), each row folded whole: json_agg of a row costs PostgreSQL less than of an
    // object built per row.
    const pageRows = child.columns
      ? [
          exactColumnsSql(em, child.entity, "t", [
            ...new Set([...child.columns, ...orderColumns(query.order, "t")]),
          ]),
          ...(query.joined ?? []).map((column) => `t.${column}`),
        ].join(", ")
      : null;
    columns.push(
      `(select coalesce(json_agg(${pageRows ? "t" : exactJsonSql(em, child.entity, "t")} order by ${query.order}), '[]'::json)
        from (select ${pageRows ?? "t.*"} from (${query.sql}) t order by ${query.order} limit ? offset ?) t) as _child_${i}`,
      `(select count(*)::int from (${query.sql}) t) as _child_${i}_total`,
    );
    params.push(
      ...query.params,
      // LIMIT NULL is no limit: a whole list.
      child.limit === null ? null : child.limit + 1,
      child.offset,
      ...query.params,
    );
    return query;
  });
  values.forEach((value, i) => {
    const { sql, params: valueParams } = value.query(ROOT_ROW);
    columns.push(`${sql} as _value_${i}`);
    params.push(...valueParams);
  });
  const rows = await runPrepared(
    em,
    `with root as (${root.sql})
     select ${columns.join(", ")}
     from root ${root.alias} cross join lateral (select ${root.alias}.id) _parent
     order by ${root.order}`,
    params,
  );
  children.forEach((child, i) => {
    const { prime } = queries[i]!;
    for (const row of rows) {
      const items = (row[`_child_${i}`] as Row[]).map((childRow) => {
        const item = mapEntity(em, child.entity, childRow, child.columns);
        prime?.(childRow, item);
        return item;
      });
      child.prime(row.id as number, {
        items,
        total: row[`_child_${i}_total`] as number,
      });
    }
  });
  values.forEach((value, i) => {
    for (const row of rows) value.prime(row.id as number, row[`_value_${i}`]);
  });
  return rows;
}

import type { EntityClass } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import {
  childPagesSql,
  toChildPages,
  type ChildPage,
  type ChildQuery,
  type ChildRow,
  type ParentIds,
} from "./child-pages.js";
import { exactJsonSql, runSql, type Row } from "./sql-rows.js";

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
  /** Hands a root row's page to the loader the child field's resolver reads it from. */
  prime: (parentId: number, page: ChildPage<object>) => void;
}

// The root rows' ids, for the child lists inside the same statement.
const ROOT_IDS: ParentIds = { sql: "(select id from root)", params: [] };

/**
 * Reads the root rows and the selected pages of their child lists in ONE statement: the root is a
 * CTE, each child list is ranked as loadChildPages ranks it (same window, same order, same totals),
 * and its rows come back on their parent's row as one JSON array (exact: exactJsonSql). Each root
 * row's page is primed into the child's loader, so the child fields' resolvers, which read their
 * loaders as before, cost no statement. Returns the root rows in order (the arrays are `_child_N`).
 */
export async function loadRootWithChildren(
  em: EntityManager,
  root: RootQuery,
  children: readonly ChildPrefetch[],
): Promise<Row[]> {
  const ctes = [`root as (${root.sql})`];
  const params = [...root.params];
  const columns = [`${root.alias}.*`];
  const queries = children.map((child, i) => {
    const query = child.query(ROOT_IDS);
    const ranked = childPagesSql(query, child.offset, child.limit);
    ctes.push(`child_${i} as (${ranked.sql})`);
    params.push(...ranked.params);
    columns.push(
      `(select coalesce(jsonb_agg(${exactJsonSql(em, child.entity, "k")} order by k._position), '[]'::jsonb)
        from child_${i} k where k._parent_id = ${root.alias}.id) as _child_${i}`,
    );
    return query;
  });
  const rows = await runSql(
    em,
    `with ${ctes.join(",\n")}
     select ${columns.join(", ")} from root ${root.alias} order by ${root.order}`,
    params,
  );
  const ids = rows.map((row) => row.id as number);
  children.forEach((child, i) => {
    const childRows = rows.flatMap((row) => row[`_child_${i}`] as ChildRow[]);
    const pages = toChildPages(
      em,
      child.entity,
      ids,
      childRows,
      queries[i]!,
      child.offset,
    );
    ids.forEach((id, at) => child.prime(id, pages[at]!));
  });
  return rows;
}

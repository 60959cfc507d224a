import type { EntityClass } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { FieldNode } from "graphql";
import { Partnership } from "../../schema/partnership.js";
import {
  subSelection,
  type FieldSelection,
} from "../pagination/selects-field.js";
import type { ChildQuery, ParentIds } from "./child-pages.js";
import { councilServicesSql, hostedBySql } from "./council-service-role.js";
import { joinedLink } from "./joined-link.js";
import type { RootQuery } from "./root-with-children.js";
import { selectedColumns, type Columns } from "./selected-columns.js";
import { exactJsonSql, type Row } from "./sql-rows.js";

/**
 * The council with this GSS or register code (any case), as a root query; with `columns` (see
 * selectedColumns), its row carries only those.
 */
export function councilByCodeQuery(
  code: string,
  columns: Columns = null,
): RootQuery {
  const wanted = code.trim().toUpperCase();
  const selected = columns
    ? columns.map((column) => `c.${column}`).join(", ")
    : "c.*";
  return {
    sql: `select ${selected} from council c where c.gss_code = ? or c.register_code = ? limit 1`,
    params: [wanted, wanted],
    alias: "c",
    order: "c.id",
  };
}

/**
 * What the rows of a page of a council's memberships or hosted services carry for a selection of
 * it: the columns its nodes read, and their partnership with the columns its selection reads
 * (false: not selected).
 */
export interface CouncilListRows {
  columns: Columns;
  partnership: false | Columns;
}

const rowsBySelection = new WeakMap<readonly FieldNode[], CouncilListRows>();

/**
 * What a selection of a connection of `entity` under a council (the nodes of one response key,
 * as its resolver's `info.fieldNodes`) reads on its nodes (a look-ahead at `edges { node { … } }`),
 * worked out once per selection of a parsed query.
 */
export function councilListRowsOf(
  em: EntityManager,
  entity: EntityClass<object>,
  list: FieldSelection,
): CouncilListRows {
  let rows = rowsBySelection.get(list.nodes);
  if (!rows) {
    const node = subSelection(list, ["edges", "node"]);
    const partnership = subSelection(node, ["partnership"]);
    rows = {
      columns: selectedColumns(em, entity, node),
      partnership:
        partnership.nodes.length > 0 &&
        selectedColumns(em, Partnership, partnership),
    };
    rowsBySelection.set(list.nodes, rows);
  }
  return rows;
}

// A list row's partnership is read by its primary key in a subquery of the row, not joined: the
// list's count (root-with-children.ts counts the list's own query) then reads the list's index
// alone, and PostgreSQL builds the partnership's JSON only for the rows of the page, after the sort
// and the limit. Joined, each list and each count hashed all the partnerships (a scan of the table):
// the council page's statement cost PostgreSQL 1.7 ms instead of 0.7 (measured on the bench data).
const partnershipOf = (column: string, expression: string) =>
  `(select ${expression} from partnership p where p.id = ${column})`;

/**
 * The columns a list's rows add for their partnership (`_partnership`, as exact JSON of the
 * selected columns) and how it is handed on: to the item (`partnership`) when folded to some
 * columns, a whole row to the partnership loader (`primePartnership`; see joinedLink).
 */
function withPartnership(
  em: EntityManager,
  column: string,
  rows: CouncilListRows,
  primePartnership: (row: Row) => void,
): Pick<ChildQuery, "joined" | "prime"> & { sql: string } {
  if (rows.partnership === false) return { sql: "" };
  const partnershipFor = joinedLink(
    em,
    Partnership,
    rows.partnership,
    primePartnership,
  );
  return {
    sql: `${partnershipOf(column, exactJsonSql(em, Partnership, "p", rows.partnership))} as _partnership,`,
    joined: ["_partnership"],
    prime: (row, item) => {
      const partnership = partnershipFor(row._partnership as Row);
      if (partnership)
        (item as { partnership: Partnership }).partnership = partnership;
    },
  };
}

/**
 * The memberships of the parent councils, in partnership name order, each with its partnership
 * when selected (see withPartnership).
 */
export function councilMembershipsQuery(
  em: EntityManager,
  parents: ParentIds,
  rows: CouncilListRows,
  primePartnership: (row: Row) => void,
): ChildQuery {
  const { sql, ...partnership } = withPartnership(
    em,
    "m.partnership_id",
    rows,
    primePartnership,
  );
  return {
    sql: `select m.council_id as _parent_id, ${partnershipOf("m.partnership_id", "p.name")} as _sort,
          ${sql} m.*
        from membership m where m.council_id in ${parents.sql}`,
    params: parents.params,
    order: "t._sort, t.id",
    ...partnership,
  };
}

/** The services the parent councils host or lead, in name order, each with its partnership when selected. */
export function councilHostedServicesQuery(
  em: EntityManager,
  parents: ParentIds,
  rows: CouncilListRows,
  primePartnership: (row: Row) => void,
): ChildQuery {
  const { sql, ...partnership } = withPartnership(
    em,
    "s.partnership_id",
    rows,
    primePartnership,
  );
  return {
    sql: `select s.host_council_id as _parent_id, ${sql} s.*
        from service s where ${hostedBySql("s", parents.sql)}`,
    params: parents.params,
    order: "t.name, t.id",
    ...partnership,
  };
}

/** The services the parent councils take part in (their partnerships' and those they host), in name order. */
export const councilServicesQuery = (parents: ParentIds): ChildQuery => ({
  sql: councilServicesSql(parents.sql),
  params: [...parents.params, ...parents.params],
  order: "t.name, t.id",
});

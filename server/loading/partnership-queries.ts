import type { EntityManager } from "@mikro-orm/postgresql";
import { GovernanceSeat } from "../../schema/governance-seat.js";
import type { ChildQuery, ParentIds } from "./child-pages.js";
import type { RootQuery } from "./root-with-children.js";
import type { PartnershipStatus } from "../../schema/partnership.js";
import type { ListQuery } from "../pagination/offset-list.js";
import {
  containsPattern,
  exactJsonSql,
  SqlConditions,
  type Row,
} from "./sql-rows.js";

/** The filters of the partnerships list, as its arguments give them (the council's code already read into its id). */
export interface PartnershipsFilter {
  councilId?: number | null;
  status?: PartnershipStatus | null;
  search?: string | null;
}

/**
 * The partnerships list (Query.partnerships): the partnerships a council is a member of, of a
 * status, whose name, an alternative name or description contains the search text (any case), in
 * name order. The one rule of that list, for its resolver and for answers PostgreSQL builds whole.
 */
export function partnershipsListQuery({
  councilId,
  status,
  search,
}: PartnershipsFilter): ListQuery {
  const where = new SqlConditions();
  if (councilId != null)
    where.add(
      "p.id in (select m.partnership_id from membership m where m.council_id = ?)",
      councilId,
    );
  if (status != null) where.add("p.status = ?", status);
  const text = search?.trim();
  if (text) {
    const pattern = containsPattern(text);
    where.add(
      "(p.name ilike ? or p.description ilike ? or array_to_string(p.alternative_names, '|') ilike ?)",
      pattern,
      pattern,
      pattern,
    );
  }
  return { from: "partnership p", alias: "p", where, order: "p.name, p.id" };
}

/** The partnership with this database id, as a root query. */
export function partnershipByIdQuery(id: number): RootQuery {
  return {
    sql: "select * from partnership where id = ?",
    params: [id],
    alias: "p",
    order: "p.id",
  };
}

/**
 * Rows of `table` (alias `alias`) whose `parentColumn` is among the parents, in their council's name
 * order (then GSS code, then id), each carrying its council as `_council` for `primeCouncil`.
 */
const inCouncilNameOrder = (
  table: string,
  alias: string,
  parentColumn: string,
  parents: ParentIds,
  primeCouncil?: (row: Row) => void,
): ChildQuery => {
  // The row's council is read by its primary key, not joined: joined, each list (and its count,
  // which reuses the list's query) hashed every council, a scan of the table, for a few rows.
  const council = (expression: string) =>
    `(select ${expression} from council c where c.id = ${alias}.council_id)`;
  return {
    sql: `select ${alias}.${parentColumn} as _parent_id, ${council("c.short_name")} as _sort,
          ${council("c.gss_code")} as _sort_code, ${council("to_json(c)")} as _council, ${alias}.*
        from ${table} ${alias} where ${alias}.${parentColumn} in ${parents.sql}`,
    params: parents.params,
    order: "t._sort, t._sort_code, t.id",
    prime: primeCouncil,
  };
};

/**
 * The memberships of the parent partnerships, in council name order, each with its council
 * (`_council`, handed to `primeCouncil`).
 */
export const partnershipMembersQuery = (
  parents: ParentIds,
  primeCouncil?: (row: Row) => void,
): ChildQuery =>
  inCouncilNameOrder(
    "membership",
    "m",
    "partnership_id",
    parents,
    primeCouncil,
  );

/** The seats on the parent governance bodies, in council name order, each with its council (`_council`). */
export const bodySeatsQuery = (
  parents: ParentIds,
  primeCouncil?: (row: Row) => void,
): ChildQuery =>
  inCouncilNameOrder("governance_seat", "gs", "body_id", parents, primeCouncil);

/** Where a governance body row's seats go when they were read with it (`_seats`). */
export interface BodySeatsTarget {
  em: EntityManager;
  /** Called with each body row and its seat rows (each with `_council`). */
  prime(body: Row, seats: Row[]): void;
}

/**
 * The governance bodies of the parent partnerships, in name order. With `seats`, each body row
 * carries its seats (`_seats`: bodySeatsQuery's rows as exact JSON, in its order), so that a page
 * of bodies and their seats cost one statement.
 */
export const partnershipGovernanceBodiesQuery = (
  parents: ParentIds,
  seats?: BodySeatsTarget,
): ChildQuery => {
  const seatRows = seats
    ? bodySeatsQuery({ sql: "(b.id)", params: [] })
    : undefined;
  return {
    sql: `select b.partnership_id as _parent_id${
      seatRows
        ? `, (select coalesce(json_agg(${exactJsonSql(seats!.em, GovernanceSeat, "t")} order by ${seatRows.order}), '[]'::json)
             from (${seatRows.sql}) t) as _seats`
        : ""
    }, b.* from governance_body b where b.partnership_id in ${parents.sql}`,
    params: [...(seatRows?.params ?? []), ...parents.params],
    order: "t.name, t.id",
    prime: seats ? (row) => seats.prime(row, row._seats as Row[]) : undefined,
  };
};

/** The funding awards of the parent partnerships, earliest first (undated last). */
export const partnershipFundingQuery = (parents: ParentIds): ChildQuery => ({
  sql: `select a.partnership_id as _parent_id, a.* from funding_award a where a.partnership_id in ${parents.sql}`,
  params: parents.params,
  order: "t.awarded_on nulls last, t.id",
});

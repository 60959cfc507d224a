import type { ChildQuery, ParentIds } from "./child-pages.js";
import { councilServicesSql, hostedBySql } from "./council-service-role.js";
import type { RootQuery } from "./root-with-children.js";
import type { Row } from "./sql-rows.js";

/** The council with this GSS or register code (any case), as a root query. */
export function councilByCodeQuery(code: string): RootQuery {
  const wanted = code.trim().toUpperCase();
  return {
    sql: "select * from council where gss_code = ? or register_code = ? limit 1",
    params: [wanted, wanted],
    alias: "c",
    order: "c.id",
  };
}

// A list row's partnership is read by its primary key in a subquery of the row, not joined: the
// list's count (root-with-children.ts counts the list's own query) then reads the list's index
// alone, and PostgreSQL builds the partnership's JSON only for the rows of the page, after the sort
// and the limit. Joined, each list and each count hashed all the partnerships (a scan of the table):
// the council page's statement cost PostgreSQL 1.7 ms instead of 0.7 (measured on the bench data).
const partnershipOf = (column: string, expression = "to_json(p)") =>
  `(select ${expression} from partnership p where p.id = ${column})`;

/**
 * The memberships of the parent councils, in partnership name order, each with its partnership
 * (`_partnership`, handed to `primePartnership`).
 */
export const councilMembershipsQuery = (
  parents: ParentIds,
  primePartnership?: (row: Row) => void,
): ChildQuery => ({
  sql: `select m.council_id as _parent_id, ${partnershipOf("m.partnership_id", "p.name")} as _sort,
          ${partnershipOf("m.partnership_id")} as _partnership, m.*
        from membership m where m.council_id in ${parents.sql}`,
  params: parents.params,
  order: "t._sort, t.id",
  prime: primePartnership,
});

/** The services the parent councils host or lead, in name order, each with its partnership (`_partnership`). */
export const councilHostedServicesQuery = (
  parents: ParentIds,
  primePartnership?: (row: Row) => void,
): ChildQuery => ({
  sql: `select s.host_council_id as _parent_id, ${partnershipOf("s.partnership_id")} as _partnership, s.*
        from service s where ${hostedBySql("s", parents.sql)}`,
  params: parents.params,
  order: "t.name, t.id",
  prime: primePartnership,
});

/** The services the parent councils take part in (their partnerships' and those they host), in name order. */
export const councilServicesQuery = (parents: ParentIds): ChildQuery => ({
  sql: councilServicesSql(parents.sql),
  params: [...parents.params, ...parents.params],
  order: "t.name, t.id",
});

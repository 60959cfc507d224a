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

/**
 * The memberships of the parent councils, in partnership name order, each with its partnership
 * (`_partnership`, handed to `primePartnership`).
 */
export const councilMembershipsQuery = (
  parents: ParentIds,
  primePartnership?: (row: Row) => void,
): ChildQuery => ({
  sql: `select m.council_id as _parent_id, p.name as _sort, to_json(p) as _partnership, m.*
        from membership m join partnership p on p.id = m.partnership_id where m.council_id in ${parents.sql}`,
  params: parents.params,
  order: "t._sort, t.id",
  prime: primePartnership,
});

/** The services the parent councils host or lead, in name order, each with its partnership (`_partnership`). */
export const councilHostedServicesQuery = (
  parents: ParentIds,
  primePartnership?: (row: Row) => void,
): ChildQuery => ({
  sql: `select s.host_council_id as _parent_id, to_json(p) as _partnership, s.* from service s
        join partnership p on p.id = s.partnership_id where ${hostedBySql("s", parents.sql)}`,
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

import type { GraphQLResolveInfo } from "graphql";
import { selectsPath } from "../pagination/selects-field.js";
import type { ChildQuery, ParentIds } from "./child-pages.js";
import type { Row } from "./sql-rows.js";

/** Which of a service page's links are selected, and so joined into the page's own statement. */
export interface ServiceJoins {
  hostCouncil: boolean;
  governingBody: boolean;
}

/**
 * The links a connection of services selects on its nodes (a look-ahead at `edges { node { … } }`),
 * for the connection being resolved or the one at `path` under it.
 */
export function serviceJoinsOf(
  info: GraphQLResolveInfo,
  path: readonly string[] = [],
): ServiceJoins {
  return {
    hostCouncil: selectsPath(info, [...path, "edges", "node", "hostCouncil"]),
    governingBody: selectsPath(info, [
      ...path,
      "edges",
      "node",
      "governingBody",
    ]),
  };
}

/** Where the joined objects of a service row go: the loaders that would otherwise read them. */
export interface ServiceJoinTargets {
  council(row: Row): void;
  governanceBody(row: Row): void;
}

/**
 * The services of the parent partnerships, each with `_parent_id`, and with the selected
 * links joined in (`_host`, `_body`: the council's and the body's rows as JSON), so that a page
 * and its host councils cost one statement instead of two.
 */
export function partnershipServicesQuery(
  parents: ParentIds,
  joins: ServiceJoins,
  into: ServiceJoinTargets,
): ChildQuery {
  const columns = ["s.partnership_id as _parent_id"];
  const from = ["service s"];
  if (joins.hostCouncil) {
    columns.push("to_json(h) as _host");
    from.push("left join council h on h.id = s.host_council_id");
  }
  if (joins.governingBody) {
    columns.push("to_json(b) as _body");
    from.push("left join governance_body b on b.id = s.governing_body_id");
  }
  return {
    sql: `select ${columns.join(", ")}, s.* from ${from.join(" ")} where s.partnership_id in ${parents.sql}`,
    params: parents.params,
    order: "t.name, t.id",
    prime:
      joins.hostCouncil || joins.governingBody
        ? (row) => {
            if (row._host) into.council(row._host as Row);
            if (row._body) into.governanceBody(row._body as Row);
          }
        : undefined,
  };
}

import type { EntityManager } from "@mikro-orm/postgresql";
import type { FieldNode } from "graphql";
import { Council } from "../../schema/council.js";
import { GovernanceBody } from "../../schema/governance-body.js";
import { Service } from "../../schema/service.js";
import {
  subSelection,
  type FieldSelection,
} from "../pagination/selects-field.js";
import type { ChildQuery, ParentIds } from "./child-pages.js";
import { selectedColumns, type Columns } from "./selected-columns.js";
import { joinedLink, linkedRowSql, type LinkQuery } from "./joined-link.js";
import { exactJsonSql, type Row } from "./sql-rows.js";

/**
 * What the rows of a page of services carry for a selection of it: the service columns its nodes
 * read, and which links come in the page's own statement, the host council with the columns its
 * selection reads (false: not selected).
 */
export interface ServiceJoins {
  columns: Columns;
  hostCouncil: false | Columns;
  governingBody: boolean;
}

const joinsBySelection = new WeakMap<readonly FieldNode[], ServiceJoins>();

/**
 * What a selection of a connection of services (the nodes of one response key, as its resolver's
 * `info.fieldNodes`) reads on its nodes (a look-ahead at `edges { node { … } }`). Worked out once
 * per selection of a parsed query (the resolver of a list of a hundred parents asks a hundred times).
 */
export function serviceJoinsOf(
  em: EntityManager,
  services: FieldSelection,
): ServiceJoins {
  let joins = joinsBySelection.get(services.nodes);
  if (!joins) {
    const node = subSelection(services, ["edges", "node"]);
    const host = subSelection(node, ["hostCouncil"]);
    joins = {
      columns: selectedColumns(em, Service, node),
      hostCouncil: host.nodes.length > 0 && selectedColumns(em, Council, host),
      governingBody: subSelection(node, ["governingBody"]).nodes.length > 0,
    };
    joinsBySelection.set(services.nodes, joins);
  }
  return joins;
}

/** A service's host council (Service.hostCouncil): by its host_council_id. */
export const SERVICE_HOST_COUNCIL: LinkQuery = {
  table: "council",
  foreignKey: "host_council_id",
};

/** A service's governing body (Service.governingBody): by its governing_body_id. */
export const SERVICE_GOVERNING_BODY: LinkQuery = {
  table: "governance_body",
  foreignKey: "governing_body_id",
};

/** A service's partnership (Service.partnership): by its partnership_id. */
export const SERVICE_PARTNERSHIP: LinkQuery = {
  table: "partnership",
  foreignKey: "partnership_id",
};

/** Where the joined objects of a service row go: the loaders that would otherwise read them. */
export interface ServiceJoinTargets {
  council(row: Row): void;
  governanceBody(row: Row): void;
}

/**
 * The services of the parent partnerships, each with `_parent_id`, and with the selected links
 * (`_host`, `_body`: the council's and the body's rows as JSON), so that a page and its host
 * councils cost one statement instead of two. A host council of the selected columns goes to its
 * service object alone (`hostCouncil`), a whole one to the council loader (joinedLink). Each link
 * is read by its primary key in a subquery of the row, not joined: PostgreSQL then builds its JSON
 * only for the rows of the page, after the sort and the limit, and the page's count reads the
 * services' index alone (see council-queries.ts; the deep list's statement: 6.7 -> 5.2 ms of
 * PostgreSQL, measured on the bench data).
 */
export function partnershipServicesQuery(
  em: EntityManager,
  parents: ParentIds,
  joins: ServiceJoins,
  into: ServiceJoinTargets,
): ChildQuery {
  const columns = ["s.partnership_id as _parent_id"];
  const joined: string[] = [];
  const host = joins.hostCouncil;
  if (host !== false) {
    columns.push(
      `${exactJsonSql(em, Council, "h", host, linkedRowSql(SERVICE_HOST_COUNCIL, "h", "s"))} as _host`,
    );
    joined.push("_host");
  }
  if (joins.governingBody) {
    columns.push(
      `${exactJsonSql(em, GovernanceBody, "b", null, linkedRowSql(SERVICE_GOVERNING_BODY, "b", "s"))} as _body`,
    );
    joined.push("_body");
  }
  const hostOf =
    host === false ? undefined : joinedLink(em, Council, host, into.council);
  return {
    sql: `select ${columns.join(", ")}, s.* from service s where s.partnership_id in ${parents.sql}`,
    params: parents.params,
    order: "t.name, t.id",
    joined,
    prime:
      host !== false || joins.governingBody
        ? (row, item) => {
            const council = row._host ? hostOf?.(row._host as Row) : null;
            if (council) (item as Service).hostCouncil = council;
            if (row._body) into.governanceBody(row._body as Row);
          }
        : undefined,
  };
}

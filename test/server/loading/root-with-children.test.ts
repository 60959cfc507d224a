import { beforeAll, expect, it } from "vitest";
import { Council } from "../../../schema/council.js";
import { Membership, MembershipRole } from "../../../schema/membership.js";
import { Partnership, PartnershipStatus } from "../../../schema/partnership.js";
import { Service } from "../../../schema/service.js";
import { offsetCursor } from "../../../server/pagination/connection.js";
import { toGlobalId } from "../../../schema/global-id.js";
import { createTestGraphql, type TestGraphql } from "../../support/graphql.js";
import { useTestDatabase } from "../../support/test-database.js";

const db = useTestDatabase();
let gql: TestGraphql;
let code: string;
let otherCode: string;

/**
 * A council that is a member of four partnerships holding 0, 1, 3 and 12 services (some hosted by
 * it, some by others, some by nobody), and that also hosts a service of a fifth partnership it is
 * not a member of; its cost shares need their trailing zeros.
 */
beforeAll(async () => {
  // The resolvers' own reading: the planner (server/sql-answers/) would answer some of these whole.
  gql = await createTestGraphql(db.orm, { sqlAnswers: false });
  const em = db.orm.em.fork();
  const [council, other] = await em.find(
    Council,
    { endDate: null },
    { orderBy: { gssCode: "asc" }, limit: 2 },
  );
  code = council!.gssCode;
  otherCode = other!.gssCode;
  const shares = ["12.5000", null, "33.3300", "0.1000"];
  [0, 1, 3, 12].forEach((count, p) => {
    const partnership = em.create(Partnership, {
      name: `Paged ${p}`,
      alternativeNames: [],
      status: PartnershipStatus.ACTIVE,
    });
    em.create(Membership, {
      council: council!,
      partnership,
      role: MembershipRole.MEMBER,
      costSharePercent: shares[p],
    });
    for (let s = 0; s < count; s++)
      em.create(Service, {
        partnership,
        // Names out of insertion order, so that the order is the query's and not the ids'.
        name: `Service ${String((s * 7) % count).padStart(2, "0")}`,
        hostCouncil: [council!, other!, null][s % 3],
        category: s % 2 ? "Back office" : null,
        notes: s % 4 === 1 ? `Note ${s}` : null,
        estimatedAnnualSaving: s % 5 === 2 ? "1200.50" : null,
      });
  });
  const outside = em.create(Partnership, {
    name: "Paged outside",
    alternativeNames: [],
    status: PartnershipStatus.ACTIVE,
  });
  em.create(Service, {
    partnership: outside,
    name: "Hosted",
    hostCouncil: council!,
  });
  await em.flush();
});

const servicePage = `totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id name status hostCouncil { gssCode shortName } } }`;

// The partnerships' services read in the list's own statement…
const deepList = `query ($code: String!, $first: Int, $after: String, $sFirst: Int, $sAfter: String) {
  partnerships(council: $code, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id name services(first: $sFirst, after: $sAfter) { ${servicePage} } } }
  }
}`;

// …and the same partnerships' services read by their loader, under the council's memberships
// (memberships are in partnership name order, the partnerships list's order).
const throughLoaders = `query ($code: String!, $first: Int, $after: String, $sFirst: Int, $sAfter: String) {
  council(code: $code) {
    memberships(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { partnership { id name services(first: $sFirst, after: $sAfter) { ${servicePage} } } } }
    }
  }
}`;

type Page<T> = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: T }[];
};

// Pages of partnerships (first, a cursor in the middle, the last, past the end) × pages of their
// services (first, a cursor in the middle, the last page of the longest, none asked, past the end).
const pastTheEnd = { first: 2, after: offsetCursor(3) };
const rootWindows = [
  { first: 2, after: null },
  { first: 2, after: offsetCursor(0) },
  { first: 2, after: offsetCursor(1) },
  pastTheEnd,
];
const childWindows = [
  { sFirst: 2, sAfter: null },
  { sFirst: 2, sAfter: offsetCursor(0) },
  { sFirst: 5, sAfter: offsetCursor(6) },
  { sFirst: 0, sAfter: null },
  { sFirst: 3, sAfter: offsetCursor(20) },
];

it("reads each partnership's page of services in the list's statement as their loader reads it, page for page", async () => {
  let services = 0;
  for (const root of rootWindows)
    for (const child of childWindows) {
      const variables = { code, ...root, ...child };
      db.resetQueryLog();
      const deep = await gql.run<{ partnerships: Page<unknown> }>(
        deepList,
        variables,
      );
      expect(deep.errors).toBeUndefined();
      // The council filter's lookup, then the partnerships with their services (and, past the
      // list's end, where no row carries the list's total, its count).
      expect(db.queries).toHaveLength(root === pastTheEnd ? 3 : 2);
      db.resetQueryLog();
      const loaded = await gql.run<{
        council: { memberships: Page<{ partnership: unknown }> };
      }>(throughLoaders, variables);
      expect(loaded.errors).toBeUndefined();
      // The services' loader ran (past the end of the list there is no partnership to ask for).
      if (root !== pastTheEnd) expect(db.queries.length).toBeGreaterThan(1);
      const { memberships } = loaded.data!.council;
      expect(deep.data!.partnerships).toEqual({
        ...memberships,
        edges: memberships.edges.map(({ cursor, node }) => ({
          cursor,
          node: node.partnership,
        })),
      });
      for (const { node } of deep.data!.partnerships.edges)
        services += (node as { services: Page<unknown> }).services.edges.length;
    }
  // Not only empty pages were compared.
  expect(services).toBeGreaterThan(15);
});

// What each list joins into its own rows (the memberships' and hosted services' partnerships), so
// that the council's statement is the only one.
const councilLists = `memberships(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id role costSharePercent partnership { id name status } } } }
  hostedServices(first: $sFirst, after: $sAfter) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id name status partnership { id name } } } }
  services(first: $sFirst, after: $sAfter) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id name status } } }`;

it("reads a council's memberships, hosted services and services in its own statement as their loaders read them, page for page", async () => {
  let items = 0;
  for (const root of rootWindows)
    for (const child of childWindows) {
      const variables = { code, ...root, ...child };
      db.resetQueryLog();
      const page = await gql.run<{ council: Record<string, Page<unknown>> }>(
        `query ($code: String!, $first: Int, $after: String, $sFirst: Int, $sAfter: String) {
          council(code: $code) { id ${councilLists} } }`,
        variables,
      );
      expect(page.errors).toBeUndefined();
      expect(db.queries).toHaveLength(1);
      db.resetQueryLog();
      const throughList = await gql.run<{
        councils: { edges: { node: unknown }[] };
      }>(
        `query ($code: String!, $first: Int, $after: String, $sFirst: Int, $sAfter: String) {
          councils(search: $code, first: 1) { edges { node { id ${councilLists} } } } }`,
        variables,
      );
      expect(throughList.errors).toBeUndefined();
      expect(db.queries.length).toBeGreaterThan(1);
      expect(page.data!.council).toEqual(
        throughList.data!.councils.edges[0]!.node,
      );
      for (const list of Object.values(page.data!.council))
        if (typeof list === "object") items += list.edges.length;
    }
  expect(items).toBeGreaterThan(20);
  const { data } = await gql.run<{
    council: { memberships: Page<{ costSharePercent: string | null }> };
  }>(
    `query ($code: String!) { council(code: $code) { memberships(first: 4) { edges { node { costSharePercent } } } } }`,
    { code },
  );
  expect(
    data!.council.memberships.edges.map((e) => e.node.costSharePercent),
  ).toEqual(["12.5000", null, "33.3300", "0.1000"]);
});

// Every field of a service and of its host council a client can select without a link of its own.
const wideService = `id name category status statusText hostRole goLiveDate goLiveText goLiveFrom goLiveTo
  notes sourceSheet sourceCell extra`;
const wideCouncil = `id gssCode registerCode officialName shortName type startDate endDate alternativeNames
  formerGssCodes`;
const aliases = `name status alternativeNames description startDate sourceSheet
  narrow: services(first: 5) { totalCount edges { node { id name hostCouncil { gssCode } } } }
  wide: services(first: 5) { totalCount edges { node { ${wideService} hostCouncil { ${wideCouncil} }
    partnership { id name } governingBody { id } importRun { id } } } }
  current: services(first: 5) { edges { node { name hostCouncil { id current } } } }`;

it("folds only the columns each alias of a list's services selects, yet serves each alias (and the same councils read by id elsewhere in the request) every field it asks for", async () => {
  db.resetQueryLog();
  const deep = await gql.run<{
    partnerships: {
      edges: { node: { members: { council: unknown }[] } }[];
    };
    council: unknown;
    services: { edges: { node: { hostCouncil: unknown } }[] };
  }>(
    `query ($code: String!, $other: String!) {
      partnerships(council: $code, first: 10) { edges { node { id ${aliases}
        members { council { ${wideCouncil} } } } } }
      council(code: $code) { ${wideCouncil} }
      services(council: $other, councilRole: HOST, first: 20) { edges { node { id hostCouncil { ${wideCouncil} }
    partnership { id name } governingBody { id } importRun { id } } } }
    }`,
    { code, other: otherCode },
  );
  expect(deep.errors).toBeUndefined();
  // The partnerships' statement folds the narrow alias's services to the columns it selects.
  const statement = db.queries.find((sql) =>
    sql.includes("from partnership p"),
  );
  expect(statement).toContain(
    "(select to_json(exact) from (select h.gss_code, h.id from council h where h.id = s.host_council_id) exact)",
  );
  // The same services read by their loaders, whole rows, a request of their own.
  const loaded = await gql.run<{
    council: { memberships: { edges: { node: { partnership: unknown } }[] } };
  }>(
    `query ($code: String!) { council(code: $code) { memberships(first: 10) {
      edges { node { partnership { id ${aliases} } } } } } }`,
    { code },
  );
  expect(loaded.errors).toBeUndefined();
  const partnerships = deep.data!.partnerships.edges.map(
    ({ node: { members, ...node } }) => {
      // Each membership reads its council through the council loader, after the statement: the
      // whole council, never a host council of the narrow alias (gss code only).
      expect(members.map(({ council }) => council)).toEqual([
        deep.data!.council,
      ]);
      return node;
    },
  );
  expect(partnerships).toEqual(
    loaded.data!.council.memberships.edges.map(({ node }) => node.partnership),
  );
  expect(JSON.stringify(partnerships)).toContain("Back office");
  expect(JSON.stringify(partnerships)).toContain("Note 1");
  // So do the services the other council hosts.
  const { services } = deep.data!;
  expect(services.edges.length).toBeGreaterThan(3);
  for (const { node } of services.edges)
    expect(node.hostCouncil).toMatchObject({
      gssCode: otherCode,
      type: expect.any(String),
    });
});

// Every field of a membership and of a partnership a client can select without a list of its own.
const wideMembership = `id role costSharePercent joinedOn leftOn sourceSheet sourceCell extra
  council { id } importRun { id }`;
const widePartnership = `id name alternativeNames description status startDate sourceSheet sourceCell
  extra importRun { id }`;

it("folds a council page's lists and their partnerships to the columns each alias selects, yet serves each alias (and the same partnerships read by id elsewhere in the request) every field it asks for", async () => {
  const em = db.orm.em.fork();
  const hosted = await em.findOneOrFail(
    Service,
    { hostCouncil: { gssCode: code }, partnership: { name: "Paged 3" } },
    { orderBy: { id: "asc" } },
  );
  const lists = `memberships(first: 10) { edges { node { role partnership { name } } } }
    wide: memberships(first: 10) { edges { node { ${wideMembership} partnership { ${widePartnership} } } } }
    hostedServices(first: 10) { edges { node { name partnership { id } } } }`;
  db.resetQueryLog();
  const page = await gql.run<{
    council: {
      gssCode: string;
      wide: { edges: { node: { partnership: { id: string } } }[] };
    };
    service: { partnership: unknown };
  }>(
    `query ($code: String!, $service: ID!) {
      council(code: $code) { gssCode ${lists} }
      service(id: $service) { partnership { ${widePartnership} } }
    }`,
    { code, service: toGlobalId("Service", hosted.id) },
  );
  expect(page.errors).toBeUndefined();
  const statement = db.queries.find((sql) => sql.includes("from council c"));
  expect(statement).toContain(
    "(select to_json(exact) from (select p.id, p.name) exact)",
  );
  // The same lists through their loaders (whole memberships), and each partnership by its id.
  const loaded = await gql.run<{
    councils: { edges: { node: unknown }[] };
  }>(
    `query ($code: String!) { councils(search: $code, first: 1) { edges { node { gssCode ${lists} } } } }`,
    { code },
  );
  expect(loaded.errors).toBeUndefined();
  expect(page.data!.council).toEqual(loaded.data!.councils.edges[0]!.node);
  const { wide } = page.data!.council;
  expect(wide.edges).toHaveLength(4);
  for (const { node } of wide.edges) {
    const byId = await gql.run<{ partnership: unknown }>(
      `query ($id: ID!) { partnership(id: $id) { ${widePartnership} } }`,
      { id: node.partnership.id },
    );
    expect(node.partnership).toEqual(byId.data!.partnership);
  }
  // The hosted service's partnership, read through the partnership loader in the same request as
  // the narrow memberships' partnerships (name only): whole.
  expect(page.data!.service.partnership).toEqual(
    wide.edges.find(({ node }) =>
      JSON.stringify(node.partnership).includes("Paged 3"),
    )!.node.partnership,
  );
});

import { beforeAll, expect, it } from "vitest";
import { MembershipRole } from "../../schema/membership.js";
import { Service, ServiceStatus } from "../../schema/service.js";
import { useTestDatabase } from "../support/test-database.js";
import { createTestGraphql, type TestGraphql } from "../support/graphql.js";
import { seedHub, type SeededHub } from "./seed-hub.js";

// The "council is host or partner" rule (server/loading/council-service-role.ts) answers both the
// `services(council:, councilRole:)` filter and a council's own service lists: they must agree for
// every council, including one that hosts a service of a partnership it is not a member of.

const db = useTestDatabase();
let gql: TestGraphql;
let hub: SeededHub;

beforeAll(async () => {
  gql = await createTestGraphql(db.orm);
  const em = db.orm.em.fork();
  hub = await seedHub(em);
  // Cheshire West and Chester hosts a Derbyshire service without being a member of that partnership.
  em.create(Service, {
    partnership: hub.derbyshire,
    name: "Payroll",
    hostCouncil: hub.councils.cheshireWest,
    hostRole: MembershipRole.HOST,
    status: ServiceStatus.LIVE,
    statusText: "live",
    category: "Back office",
  });
  await em.flush();
});

type Names = { edges: { node: { name: string } }[] };
const names = (list: Names) => list.edges.map((e) => e.node.name);

async function filtered(code: string, role: string): Promise<string[]> {
  const result = await gql.run<{ services: Names }>(
    `{ services(council: "${code}", councilRole: ${role}, first: 100) { edges { node { name } } } }`,
  );
  expect(result.errors).toBeUndefined();
  return names(result.data!.services);
}

it("gives a council the same services through the services filter as through its own lists", async () => {
  const seen: Record<string, { hosted: string[]; all: string[] }> = {};
  for (const council of Object.values(hub.councils)) {
    const result = await gql.run<{
      council: { hostedServices: Names; services: Names };
    }>(
      `{ council(code: "${council.gssCode}") {
          hostedServices(first: 100) { edges { node { name } } }
          services(first: 100) { edges { node { name } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const hosted = names(result.data!.council.hostedServices);
    const all = names(result.data!.council.services);
    expect(await filtered(council.gssCode, "HOST")).toEqual(hosted);
    expect(await filtered(council.gssCode, "ANY")).toEqual(all);
    seen[council.shortName] = { hosted, all };
  }
  // The host outside the partnership: it hosts Payroll and takes part in it, but is no partner of ICT.
  expect(seen[hub.councils.cheshireWest.shortName]).toEqual({
    hosted: ["Payroll"],
    all: ["Building Control", "Payroll"],
  });
  expect(await filtered(hub.councils.cheshireWest.gssCode, "PARTNER")).toEqual([
    "Building Control",
  ]);
});

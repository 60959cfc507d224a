import { beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../schema/global-id.js";
import { useTestDatabase } from "../support/test-database.js";
import { createTestGraphql, type TestGraphql } from "../support/graphql.js";
import { seedHub, type SeededHub } from "./seed-hub.js";

const db = useTestDatabase();
let gql: TestGraphql;
let hub: SeededHub;

beforeAll(async () => {
  gql = await createTestGraphql(db.orm);
  hub = await seedHub(db.orm.em.fork());
});

/** Runs a query that must succeed and returns its data. */
async function data<T>(query: string, variables?: Record<string, unknown>) {
  const result = await gql.run<T>(query, variables);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

type Names = { edges: { node: { name: string } }[] };
const names = (connection: Names) => connection.edges.map((e) => e.node.name);

describe("Council links", () => {
  type CouncilPage = {
    council: {
      id: string;
      gssCode: string;
      memberships: {
        totalCount: number;
        edges: {
          node: {
            role: string;
            costSharePercent: string | null;
            partnership: { name: string };
            council: { gssCode: string };
          };
        }[];
      };
      hostedServices: Names & { totalCount: number };
      services: Names & { totalCount: number };
      governanceSeats: {
        seats: number | null;
        role: string | null;
        body: { name: string };
        council: { gssCode: string };
      }[];
      savings: {
        totalCount: number;
        edges: {
          node: { amount: { amount: string }; service: { name: string } };
        }[];
      };
    };
  };
  const query = `query ($code: String!) {
    council(code: $code) {
      id gssCode
      memberships { totalCount edges { node { role costSharePercent partnership { name } council { gssCode } } } }
      hostedServices { totalCount edges { node { name } } }
      services { totalCount edges { node { name } } }
      governanceSeats { seats role body { name } council { gssCode } }
      savings { totalCount edges { node { amount { amount } service { name } } } }
    }
  }`;

  it("gives a council's memberships with role and cost share, hosted services, services it takes part in, seats and savings", async () => {
    const { council } = await data<CouncilPage>(query, { code: "E07000034" });
    expect(council.id).toBe(
      toGlobalId("Council", hub.councils.chesterfield.id),
    );
    expect(council.memberships.totalCount).toBe(1);
    expect(council.memberships.edges[0]!.node).toEqual({
      role: "HOST",
      costSharePercent: "40.0000",
      partnership: { name: "Derbyshire Shared Services" },
      council: { gssCode: "E07000034" },
    });
    expect(names(council.hostedServices)).toEqual(["Revenues and Benefits"]);
    expect(names(council.services)).toEqual([
      "ICT",
      "Legal Services",
      "Revenues and Benefits",
    ]);
    expect(council.services.totalCount).toBe(3);
    expect(council.governanceSeats).toEqual([
      {
        seats: 2,
        role: "Leader and Deputy Leader",
        body: { name: "Joint Committee" },
        council: { gssCode: "E07000034" },
      },
    ]);
    expect(council.savings.totalCount).toBe(2);
    expect(
      council.savings.edges.map((e) => [
        e.node.service.name,
        e.node.amount.amount,
      ]),
    ).toEqual([
      ["Revenues and Benefits", "600.10"],
      ["ICT", "0.02"],
    ]);
  });

  it("counts a council that hosts a service outside its partnerships among the services it takes part in", async () => {
    const { council } = await data<CouncilPage>(query, { code: "E06000050" });
    expect(names(council.services)).toEqual(["Building Control"]);
    expect(council.hostedServices.totalCount).toBe(0);
    expect(council.governanceSeats).toEqual([]);
    expect(council.savings.totalCount).toBe(0);
  });
});

describe("Partnership links", () => {
  it("gives members, services, governance bodies, funding and savings", async () => {
    const { partnership } = await data<{
      partnership: {
        name: string;
        importRun: { fileName: string } | null;
        members: {
          council: { shortName: string };
          partnership: { name: string };
        }[];
        services: Names & { totalCount: number };
        governanceBodies: {
          name: string;
          kind: string;
          partnership: { name: string };
        }[];
        fundingAwards: {
          funder: string;
          awardedOn: string;
          amount: { amount: string; currency: string };
          partnership: { name: string };
        }[];
        savings: { totalCount: number };
      };
    }>(
      `query ($id: ID!) { partnership(id: $id) {
        name importRun { fileName }
        members { council { shortName } partnership { name } }
        services { totalCount edges { node { name } } }
        governanceBodies { name kind partnership { name } }
        fundingAwards { funder awardedOn amount { amount currency } partnership { name } }
        savings { totalCount }
      } }`,
      { id: toGlobalId("Partnership", hub.derbyshire.id) },
    );
    expect(partnership.importRun).toEqual({
      fileName: "derbyshire-tracker-2015-03.xlsx",
    });
    expect(partnership.members.map((m) => m.council.shortName)).toEqual([
      "Bolsover",
      "Chesterfield",
      "North East Derbyshire",
    ]);
    expect(partnership.members[0]!.partnership.name).toBe(
      "Derbyshire Shared Services",
    );
    expect(names(partnership.services)).toEqual([
      "ICT",
      "Legal Services",
      "Revenues and Benefits",
    ]);
    expect(partnership.governanceBodies).toEqual([
      {
        name: "Joint Committee",
        kind: "JOINT_COMMITTEE",
        partnership: { name: "Derbyshire Shared Services" },
      },
    ]);
    expect(partnership.fundingAwards).toEqual([
      {
        funder: "RCE",
        awardedOn: "2005-05-01",
        amount: { amount: "100000.00", currency: "GBP" },
        partnership: { name: "Derbyshire Shared Services" },
      },
    ]);
    // Revenues: 2014 achieved cashable total + 3 councils, non-cashable, target, 2015; ICT: 2 councils.
    expect(partnership.savings.totalCount).toBe(9);
  });
});

describe("Service links", () => {
  it("gives partnership, host council, partner councils, governing body and savings", async () => {
    const { service } = await data<{
      service: {
        name: string;
        hostRole: string;
        partnership: { name: string };
        hostCouncil: { gssCode: string };
        partnerCouncils: { shortName: string }[];
        governingBody: { name: string; services: { name: string }[] };
        savings: { totalCount: number };
      };
    }>(
      `query ($id: ID!) { service(id: $id) {
        name hostRole partnership { name } hostCouncil { gssCode }
        partnerCouncils { shortName } governingBody { name services { name } }
        savings { totalCount }
      } }`,
      { id: toGlobalId("Service", hub.revenues.id) },
    );
    expect(service).toEqual({
      name: "Revenues and Benefits",
      hostRole: "HOST",
      partnership: { name: "Derbyshire Shared Services" },
      hostCouncil: { gssCode: "E07000034" },
      partnerCouncils: [
        { shortName: "Bolsover" },
        { shortName: "Chesterfield" },
        { shortName: "North East Derbyshire" },
      ],
      governingBody: {
        name: "Joint Committee",
        services: [{ name: "Revenues and Benefits" }],
      },
      savings: { totalCount: 7 },
    });
  });

  it("answers null for a service without host or governing body", async () => {
    const { service } = await data<{
      service: { hostCouncil: null; governingBody: null };
    }>(
      `query ($id: ID!) { service(id: $id) { hostCouncil { gssCode } governingBody { name } } }`,
      {
        id: toGlobalId("Service", hub.legal.id),
      },
    );
    expect(service).toEqual({ hostCouncil: null, governingBody: null });
  });
});

describe("GovernanceBody links", () => {
  it("gives the partnership and the seats with their councils", async () => {
    const { governanceBodies } = await data<{
      governanceBodies: {
        edges: {
          node: {
            name: string;
            chair: string;
            partnership: { name: string };
            seats: {
              seats: number;
              council: { shortName: string };
              body: { name: string };
            }[];
          };
        }[];
      };
    }>(`{ governanceBodies { edges { node { name chair partnership { name }
          seats { seats council { shortName } body { name } } } } } }`);
    expect(governanceBodies.edges.map((e) => e.node)).toEqual([
      {
        name: "Joint Committee",
        chair: "Rotating leader",
        partnership: { name: "Derbyshire Shared Services" },
        seats: [
          {
            seats: 2,
            council: { shortName: "Bolsover" },
            body: { name: "Joint Committee" },
          },
          {
            seats: 2,
            council: { shortName: "Chesterfield" },
            body: { name: "Joint Committee" },
          },
        ],
      },
    ]);
  });
});

describe("SavingsFigure links", () => {
  it("gives service, council, partnership, import run, sheet and cell", async () => {
    const { node } = await data<{ node: Record<string, unknown> }>(
      `query ($id: ID!) { node(id: $id) { id ... on SavingsFigure {
        financialYear measure cashable reportingPeriod amount { amount currency } movement { amount }
        sourceSheet sourceCell service { name } council { gssCode } partnership { name }
        importRun { id fileName reportingPeriod status }
      } } }`,
      { id: toGlobalId("SavingsFigure", hub.revenuesTotal.id) },
    );
    expect(node).toEqual({
      id: toGlobalId("SavingsFigure", hub.revenuesTotal.id),
      financialYear: "2014/15",
      measure: "ACHIEVED",
      cashable: true,
      reportingPeriod: "2015-03",
      amount: { amount: "1500.25", currency: "GBP" },
      movement: { amount: "500.15" },
      sourceSheet: "Savings",
      sourceCell: "D7",
      service: { name: "Revenues and Benefits" },
      council: null,
      partnership: { name: "Derbyshire Shared Services" },
      importRun: {
        id: toGlobalId("ImportRun", hub.run.id),
        fileName: "derbyshire-tracker-2015-03.xlsx",
        reportingPeriod: "2015-03",
        status: "IMPORTED",
      },
    });
  });
});

describe("node(id:)", () => {
  it("fetches every kind of object by the id it gives out", async () => {
    const { partnerships } = await data<{
      partnerships: {
        edges: { node: { id: string; members: { id: string }[] } }[];
      };
    }>(`{ partnerships { edges { node { id members { id } } } } }`);
    const ids = partnerships.edges.flatMap((e) => [
      e.node.id,
      ...e.node.members.map((m) => m.id),
    ]);
    ids.push(
      toGlobalId("Council", hub.councils.ned.id),
      toGlobalId("Service", hub.ict.id),
      toGlobalId("GovernanceBody", hub.jointCommittee.id),
      toGlobalId("ImportRun", hub.run.id),
    );
    for (const id of ids) {
      const { node } = await data<{ node: { id: string; __typename: string } }>(
        `query ($id: ID!) { node(id: $id) { id __typename } }`,
        { id },
      );
      expect(node.id).toBe(id);
      expect(Buffer.from(id, "base64url").toString()).toMatch(
        new RegExp(`^${node.__typename}:\\d+$`),
      );
    }
  });

  it("keeps gssCode on a Council reached by node(id:)", async () => {
    const { node } = await data<{ node: { gssCode: string } }>(
      `query ($id: ID!) { node(id: $id) { ... on Council { gssCode } } }`,
      { id: toGlobalId("Council", hub.councils.bolsover.id) },
    );
    expect(node.gssCode).toBe("E07000033");
  });
});

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

type Names = { totalCount: number; edges: { node: { name: string } }[] };

async function serviceNames(args: string): Promise<string[]> {
  const result = await gql.run<{ services: Names }>(
    `{ services${args} { totalCount edges { node { name } } } }`,
  );
  expect(result.errors).toBeUndefined();
  const { totalCount, edges } = result.data!.services;
  expect(totalCount).toBe(edges.length);
  return edges.map((e) => e.node.name);
}

async function partnershipNames(args: string): Promise<string[]> {
  const result = await gql.run<{ partnerships: Names }>(
    `{ partnerships${args} { totalCount edges { node { name } } } }`,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.partnerships.edges.map((e) => e.node.name);
}

describe("services filters", () => {
  it("lists every service by name without filters", async () => {
    expect(await serviceNames("")).toEqual([
      "Building Control",
      "ICT",
      "Legal Services",
      "Revenues and Benefits",
    ]);
  });

  it("filters by council as host, as partner, or either", async () => {
    expect(
      await serviceNames('(council: "E07000033", councilRole: HOST)'),
    ).toEqual(["ICT"]);
    expect(
      await serviceNames('(council: "E07000033", councilRole: PARTNER)'),
    ).toEqual(["ICT", "Legal Services", "Revenues and Benefits"]);
    expect(await serviceNames('(council: "chs")')).toEqual([
      "ICT",
      "Legal Services",
      "Revenues and Benefits",
    ]);
    expect(
      await serviceNames('(council: "E06000050", councilRole: HOST)'),
    ).toEqual([]);
  });

  it("filters by partnership, category (any case), status and text", async () => {
    const cheshire = toGlobalId("Partnership", hub.cheshire.id);
    expect(await serviceNames(`(partnership: "${cheshire}")`)).toEqual([
      "Building Control",
    ]);
    expect(await serviceNames('(category: "back office")')).toEqual([
      "ICT",
      "Revenues and Benefits",
    ]);
    expect(await serviceNames("(status: LIVE)")).toEqual([
      "Building Control",
      "Revenues and Benefits",
    ]);
    expect(await serviceNames('(search: "benefit")')).toEqual([
      "Revenues and Benefits",
    ]);
    expect(await serviceNames('(search: "front")')).toEqual(["Legal Services"]);
    expect(await serviceNames('(search: "100%")')).toEqual([]);
  });

  it("combines filters", async () => {
    expect(
      await serviceNames(
        '(council: "E07000034", status: LIVE, category: "Back office")',
      ),
    ).toEqual(["Revenues and Benefits"]);
  });
});

describe("partnerships filters", () => {
  it("filters by member council, status and text", async () => {
    expect(await partnershipNames('(council: "E06000049")')).toEqual([
      "Cheshire Shared Services",
    ]);
    expect(await partnershipNames("(status: ACTIVE)")).toEqual([
      "Derbyshire Shared Services",
    ]);
    expect(await partnershipNames("(status: ENDED)")).toEqual([]);
    expect(await partnershipNames('(search: "cbned")')).toEqual([
      "Derbyshire Shared Services",
    ]);
    expect(await partnershipNames('(search: "back office")')).toEqual([
      "Derbyshire Shared Services",
    ]);
  });
});

describe("governance bodies and funding filters", () => {
  it("filters governance bodies by partnership, kind and seated council", async () => {
    const run = async (args: string) => {
      const result = await gql.run<{ governanceBodies: Names }>(
        `{ governanceBodies${args} { totalCount edges { node { name } } } }`,
      );
      return result.data!.governanceBodies.edges.map((e) => e.node.name);
    };
    const derbyshire = toGlobalId("Partnership", hub.derbyshire.id);
    const cheshire = toGlobalId("Partnership", hub.cheshire.id);
    expect(await run(`(partnership: "${derbyshire}")`)).toEqual([
      "Joint Committee",
    ]);
    expect(await run(`(partnership: "${cheshire}")`)).toEqual([]);
    expect(await run("(kind: STEERING_GROUP)")).toEqual([]);
    expect(await run('(council: "E07000033")')).toEqual(["Joint Committee"]);
    expect(await run('(council: "E07000038")')).toEqual([]);
  });

  it("filters funding awards by partnership and funder", async () => {
    const run = async (args: string) => {
      const result = await gql.run<{
        fundingAwards: {
          totalCount: number;
          edges: { node: { funder: string } }[];
        };
      }>(`{ fundingAwards${args} { totalCount edges { node { funder } } } }`);
      return result.data!.fundingAwards.edges.map((e) => e.node.funder);
    };
    expect(await run("")).toEqual(["RCE"]);
    expect(await run('(funder: "rce")')).toEqual(["RCE"]);
    expect(
      await run(
        `(partnership: "${toGlobalId("Partnership", hub.cheshire.id)}")`,
      ),
    ).toEqual([]);
  });
});

describe("savings filters", () => {
  type Savings = {
    savings: {
      totalCount: number;
      edges: {
        node: {
          amount: { amount: string };
          reportingPeriod: string;
          service: { name: string };
          council: { shortName: string } | null;
          movement: { amount: string } | null;
        };
      }[];
    };
  };
  const run = async (args: string) => {
    const result = await gql.run<Savings>(
      `{ savings${args} { totalCount edges { node { amount { amount } reportingPeriod
          service { name } council { shortName } movement { amount } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const { totalCount, edges } = result.data!.savings;
    expect(totalCount).toBe(edges.length);
    return edges.map(
      (e) =>
        `${e.node.service.name}/${e.node.council?.shortName ?? "total"}: ${e.node.amount.amount}`,
    );
  };

  it("gives the latest report of each figure by default", async () => {
    const all = await run("");
    expect(all).toHaveLength(10);
    expect(all).toContain("Revenues and Benefits/total: 1500.25");
    expect(all).not.toContain("Revenues and Benefits/total: 1000.10");
  });

  it("filters by partnership, service, council, financial year, measure and cashable", async () => {
    expect(
      await run(
        `(partnership: "${toGlobalId("Partnership", hub.cheshire.id)}")`,
      ),
    ).toEqual(["Building Control/Cheshire East: 50.00"]);
    expect(
      await run(`(service: "${toGlobalId("Service", hub.ict.id)}")`),
    ).toEqual(["ICT/Bolsover: 100.01", "ICT/Chesterfield: 0.02"]);
    expect(await run('(council: "E07000033")')).toEqual([
      "Revenues and Benefits/Bolsover: 450.05",
      "ICT/Bolsover: 100.01",
    ]);
    expect(await run('(financialYear: "2015/16")')).toEqual([
      "Revenues and Benefits/total: 300.00",
    ]);
    expect(await run("(measure: TARGET)")).toEqual([
      "Revenues and Benefits/total: 2000.00",
    ]);
    expect(await run("(cashable: false)")).toEqual([
      "Revenues and Benefits/total: 200.00",
    ]);
  });

  it("answers a reporting period with the figures as they stood then", async () => {
    expect(await run('(asOf: "2014-12", measure: ACHIEVED)')).toEqual([
      "Revenues and Benefits/total: 1000.10",
    ]);
    expect(await run('(asOf: "2014-03")')).toEqual([]);
  });

  it("gives the movement from the previous period, or null for a first report", async () => {
    const result = await gql.run<Savings>(
      `{ savings(measure: ACHIEVED, financialYear: "2014/15", cashable: true) {
          edges { node { council { shortName } service { name } movement { amount } reportingPeriod } } } }`,
    );
    const revenuesTotal = result.data!.savings.edges.find(
      (e) => e.node.service.name === "Revenues and Benefits" && !e.node.council,
    )!;
    expect(revenuesTotal.node.movement).toEqual({ amount: "500.15" });
    const ict = result.data!.savings.edges.find(
      (e) => e.node.service.name === "ICT",
    )!;
    expect(ict.node.movement).toBeNull();
    const earlier = await gql.run<Savings>(
      `{ savings(asOf: "2014-12", measure: ACHIEVED) { edges { node { movement { amount } } } } }`,
    );
    expect(earlier.data!.savings.edges[0]!.node.movement).toBeNull();
  });

  it("filters a nested savings list the same way", async () => {
    const result = await gql.run<{ council: { savings: Savings["savings"] } }>(
      `{ council(code: "E07000034") { savings(financialYear: "2014/15", measure: ACHIEVED, cashable: true) {
          totalCount edges { node { amount { amount } reportingPeriod service { name } council { shortName } movement { amount } } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(
      result.data!.council.savings.edges.map((e) => e.node.amount.amount),
    ).toEqual(["600.10", "0.02"]);
  });
});

describe("savings summaries", () => {
  type Summary = {
    financialYear: string;
    measures: {
      measure: string;
      cashable: { amount: string };
      nonCashable: { amount: string };
      total: { amount: string };
      byCouncil: {
        council: { shortName: string };
        total: { amount: string };
        cashable: { amount: string };
      }[];
    }[];
  };
  const fields = `financialYear measures { measure cashable { amount } nonCashable { amount } total { amount }
    byCouncil { council { shortName } total { amount } cashable { amount } } }`;

  it("sums a partnership's latest figures per year and measure exactly, counting a service's own total once", async () => {
    const result = await gql.run<{
      partnership: { savingsSummary: Summary[] };
    }>(
      `query ($id: ID!) { partnership(id: $id) { savingsSummary { ${fields} } } }`,
      { id: toGlobalId("Partnership", hub.derbyshire.id) },
    );
    expect(result.errors).toBeUndefined();
    const [y2014, y2015] = result.data!.partnership.savingsSummary;
    expect(y2014!.financialYear).toBe("2014/15");
    const achieved = y2014!.measures.find((m) => m.measure === "ACHIEVED")!;
    // Revenues' own total 1500.25 (not its councils' 1500.25 again) + ICT's councils 100.01 + 0.02.
    expect(achieved.cashable.amount).toBe("1600.28");
    expect(achieved.nonCashable.amount).toBe("200.00");
    expect(achieved.total.amount).toBe("1800.28");
    expect(
      achieved.byCouncil.map((c) => [c.council.shortName, c.total.amount]),
    ).toEqual([
      ["Bolsover", "550.06"],
      ["Chesterfield", "600.12"],
      ["North East Derbyshire", "450.10"],
    ]);
    expect(y2014!.measures.map((m) => m.measure)).toEqual([
      "ACHIEVED",
      "TARGET",
    ]);
    expect(y2015!.measures[0]!.total.amount).toBe("300.00");
  });

  it("narrows a summary to one financial year and a reporting period", async () => {
    const result = await gql.run<{
      partnership: { savingsSummary: Summary[] };
    }>(
      `query ($id: ID!) { partnership(id: $id) { savingsSummary(financialYear: "2014/15", asOf: "2014-12") { ${fields} } } }`,
      { id: toGlobalId("Partnership", hub.derbyshire.id) },
    );
    const summaries = result.data!.partnership.savingsSummary;
    expect(summaries).toHaveLength(1);
    const achieved = summaries[0]!.measures.find(
      (m) => m.measure === "ACHIEVED",
    )!;
    expect(achieved.total.amount).toBe("1000.10");
    expect(achieved.byCouncil).toEqual([]);
  });

  it("gives a national summary over every partnership", async () => {
    const result = await gql.run<{ savingsSummary: Summary[] }>(
      `{ savingsSummary(financialYear: "2014/15") { ${fields} } }`,
    );
    expect(result.errors).toBeUndefined();
    const achieved = result.data!.savingsSummary[0]!.measures.find(
      (m) => m.measure === "ACHIEVED",
    )!;
    expect(achieved.total.amount).toBe("1850.28");
    expect(achieved.byCouncil.map((c) => c.council.shortName)).toEqual([
      "Bolsover",
      "Cheshire East",
      "Chesterfield",
      "North East Derbyshire",
    ]);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { Partnership, PartnershipStatus } from "../../schema/partnership.js";
import { Service } from "../../schema/service.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { useTestDatabase } from "../support/test-database.js";
import { createTestGraphql, type TestGraphql } from "../support/graphql.js";

const db = useTestDatabase();
let gql: TestGraphql;

/** 25 partnerships "P00".."P24"; P00 has 45 services; P01 has one service with 98 savings figures. */
beforeAll(async () => {
  gql = await createTestGraphql(db.orm);
  const em = db.orm.em.fork();
  const partnerships = Array.from({ length: 25 }, (_, i) =>
    em.create(Partnership, {
      name: `P${String(i).padStart(2, "0")}`,
      alternativeNames: [],
      status: PartnershipStatus.ACTIVE,
    }),
  );
  for (let i = 0; i < 45; i++)
    em.create(Service, {
      partnership: partnerships[0]!,
      name: `S${String(i).padStart(2, "0")}`,
    });
  const service = em.create(Service, {
    partnership: partnerships[1]!,
    name: "Savings",
  });
  const measures = Object.values(SavingsMeasure);
  for (let year = 2000; year < 2013; year++)
    for (const measure of measures)
      for (const cashable of [false, true])
        if (year < 2012 || measure === SavingsMeasure.ACHIEVED)
          em.create(SavingsFigure, {
            service,
            financialYear: year,
            measure,
            cashable,
            amount: `${year}.${cashable ? "01" : "00"}`,
            reportingPeriod: `${year + 1}-03`,
          });
  await em.flush();
});

type Page = {
  totalCount: number;
  edges: { cursor: string; node: { name: string } }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
};
const pageFields =
  "totalCount edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";

async function partnerships(first: number | null, after: string | null = null) {
  const result = await gql.run<{ partnerships: Page }>(
    `query ($first: Int, $after: String) { partnerships(first: $first, after: $after) { ${pageFields} } }`,
    { first, after },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.partnerships;
}

describe("root connections", () => {
  it("gives the first page with the default size of 20 and says more follow", async () => {
    const page = await partnerships(null);
    expect(page.totalCount).toBe(25);
    expect(page.edges).toHaveLength(20);
    expect(page.edges[0]!.node.name).toBe("P00");
    expect(page.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: page.edges[0]!.cursor,
      endCursor: page.edges[19]!.cursor,
    });
  });

  it("continues from a cursor to the last page without gaps or repeats", async () => {
    const first = await partnerships(10);
    const second = await partnerships(10, first.pageInfo.endCursor);
    const last = await partnerships(10, second.pageInfo.endCursor);
    const names = [...first.edges, ...second.edges, ...last.edges].map(
      (e) => e.node.name,
    );
    expect(names).toEqual(
      Array.from({ length: 25 }, (_, i) => `P${String(i).padStart(2, "0")}`),
    );
    expect(second.pageInfo.hasPreviousPage).toBe(true);
    expect(last.edges).toHaveLength(5);
    expect(last.pageInfo.hasNextPage).toBe(false);
  });

  it("round-trips an edge's cursor: the page after it starts with the next item", async () => {
    const page = await partnerships(5);
    const after = await partnerships(2, page.edges[2]!.cursor);
    expect(after.edges.map((e) => e.node.name)).toEqual(["P03", "P04"]);
  });

  it("gives an empty page after the last item, and an empty list with no cursors", async () => {
    const all = await partnerships(100);
    expect(all.pageInfo.hasNextPage).toBe(false);
    const beyond = await partnerships(10, all.pageInfo.endCursor);
    expect(beyond.edges).toEqual([]);
    expect(beyond.totalCount).toBe(25);
    expect(beyond.pageInfo).toMatchObject({
      hasNextPage: false,
      startCursor: null,
      endCursor: null,
    });
    const none = await gql.run<{ services: Page }>(
      `{ services(search: "nothing like this") { ${pageFields} } }`,
    );
    expect(none.data!.services).toEqual({
      totalCount: 0,
      edges: [],
      pageInfo: {
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: null,
        endCursor: null,
      },
    });
  });

  it("answers first: 0 with only the count", async () => {
    const page = await partnerships(0);
    expect(page.edges).toEqual([]);
    expect(page.totalCount).toBe(25);
    expect(page.pageInfo.hasNextPage).toBe(true);
  });
});

describe("nested connections", () => {
  type Nested = {
    partnerships: {
      edges: { node: { name: string; services: Page } }[];
    };
  };
  const nested = async (after: string | null) => {
    const result = await gql.run<Nested>(
      `query ($after: String) { partnerships(first: 3) { edges { node { name
          services(first: 20, after: $after) { ${pageFields} } } } } }`,
      { after },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.partnerships.edges;
  };

  it("pages each parent's list on its own, with its own total", async () => {
    const [p00, p01, p02] = await nested(null);
    expect(p00!.node.services.totalCount).toBe(45);
    expect(p00!.node.services.edges).toHaveLength(20);
    expect(p00!.node.services.pageInfo.hasNextPage).toBe(true);
    expect(p01!.node.services.totalCount).toBe(1);
    expect(p01!.node.services.pageInfo.hasNextPage).toBe(false);
    expect(p02!.node.services).toMatchObject({ totalCount: 0, edges: [] });
    let cursor = p00!.node.services.pageInfo.endCursor;
    const seen = p00!.node.services.edges.map((e) => e.node.name);
    for (;;) {
      const [next] = await nested(cursor);
      const page = next!.node.services;
      seen.push(...page.edges.map((e) => e.node.name));
      expect(page.totalCount).toBe(45);
      if (!page.pageInfo.hasNextPage) break;
      cursor = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(
      Array.from({ length: 45 }, (_, i) => `S${String(i).padStart(2, "0")}`),
    );
  });
});

describe("savings keyset pages", () => {
  type Savings = {
    savings: {
      totalCount: number;
      edges: { cursor: string; node: { id: string; financialYear: string } }[];
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        endCursor: string | null;
      };
    };
  };
  it("walks 98 figures in pages of 40 in a stable order without gaps or repeats", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const result: Awaited<ReturnType<typeof gql.run<Savings>>> =
        await gql.run<Savings>(
          `query ($after: String) { savings(first: 40, after: $after) {
            totalCount edges { cursor node { id financialYear } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
          { after },
        );
      expect(result.errors).toBeUndefined();
      const page = result.data!.savings;
      pages++;
      expect(page.totalCount).toBe(98);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(98);
    expect(new Set(seen).size).toBe(98);
  });

  it("sorts by financial year within a service, then measure and cashable", async () => {
    const result = await gql.run<{
      savings: {
        edges: {
          node: { financialYear: string; measure: string; cashable: boolean };
        }[];
      };
    }>(
      `{ savings(first: 3) { edges { node { financialYear measure cashable } } } }`,
    );
    expect(result.data!.savings.edges.map((e) => e.node)).toEqual([
      { financialYear: "2000/01", measure: "ACHIEVED", cashable: false },
      { financialYear: "2000/01", measure: "ACHIEVED", cashable: true },
      { financialYear: "2000/01", measure: "ESTIMATE", cashable: false },
    ]);
  });
});

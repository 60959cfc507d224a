import { afterAll, beforeAll, expect, it } from "vitest";
import { Council } from "../../schema/council.js";
import { Partnership, PartnershipStatus } from "../../schema/partnership.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { Service } from "../../schema/service.js";
import {
  createTestDatabase,
  type TestDatabase,
} from "../support/test-database.js";
import { createTestGraphql, type TestGraphql } from "../support/graphql.js";

let db: TestDatabase;
let gql: TestGraphql;

/**
 * 5 PROPOSED partnerships and 500 ACTIVE ones, each with two services hosted by councils of the
 * register (a different one for each of the first 300 services), each service with savings figures
 * for its host in two reporting periods.
 */
beforeAll(async () => {
  db = await createTestDatabase();
  gql = await createTestGraphql(db.orm);
  const em = db.orm.em.fork();
  const councils = await em.find(
    Council,
    { endDate: null },
    { orderBy: { gssCode: "asc" } },
  );
  let n = 0;
  const seed = (count: number, status: PartnershipStatus, prefix: string) => {
    for (let p = 0; p < count; p++) {
      const partnership = em.create(Partnership, {
        name: `${prefix} ${String(p).padStart(3, "0")}`,
        alternativeNames: [],
        status,
      });
      for (let s = 0; s < 2; s++) {
        const host = councils[n++ % councils.length]!;
        const service = em.create(Service, {
          partnership,
          name: `Service ${s}`,
          hostCouncil: host,
        });
        for (const reportingPeriod of ["2015-03", "2016-03"])
          em.create(SavingsFigure, {
            service,
            council: host,
            financialYear: 2014,
            measure: SavingsMeasure.ACHIEVED,
            cashable: true,
            amount: `${p}.${String(s).padStart(2, "0")}`,
            reportingPeriod,
          });
      }
    }
  };
  seed(5, PartnershipStatus.PROPOSED, "Small");
  seed(500, PartnershipStatus.ACTIVE, "Large");
  await em.flush();
}, 120_000);
afterAll(() => db.drop());

const fourLevels = `query ($status: PartnershipStatus!, $after: String) {
  partnerships(status: $status, first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name
      services(first: 20) { totalCount edges { node { id name
        hostCouncil { gssCode shortName
          savings(first: 20) { totalCount edges { node { id financialYear reportingPeriod
            amount { amount } movement { amount } service { name } } } }
        }
      } } }
    } }
  }
}`;

type Result = {
  partnerships: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: {
      node: {
        services: {
          edges: { node: { hostCouncil: { savings: { edges: unknown[] } } } }[];
        };
      };
    }[];
  };
};

async function countStatements(
  status: PartnershipStatus,
  after: string | null,
) {
  db.resetQueryLog();
  const result = await gql.run<Result>(fourLevels, { status, after });
  expect(result.errors).toBeUndefined();
  return { statements: db.queries.length, data: result.data!.partnerships };
}

it("runs partnerships → services → host council → savings in the same number of SQL statements for 5 and for 500 partnerships", async () => {
  const small = await countStatements(PartnershipStatus.PROPOSED, null);
  expect(small.data.totalCount).toBe(5);
  expect(small.data.edges).toHaveLength(5);
  // partnerships page (with its count), services (with their host councils), savings (with their
  // movements) + count, savings' services.
  expect(small.statements).toBe(5);

  let after: string | null = null;
  let seen = 0;
  let pages = 0;
  for (;;) {
    const large: Awaited<ReturnType<typeof countStatements>> =
      await countStatements(PartnershipStatus.ACTIVE, after);
    expect(large.statements).toBe(small.statements);
    seen += large.data.edges.length;
    pages++;
    const firstService = large.data.edges[0]!.node.services.edges[0]!.node;
    expect(firstService.hostCouncil.savings.edges.length).toBeGreaterThan(0);
    if (!large.data.pageInfo.hasNextPage) break;
    after = large.data.pageInfo.endCursor;
  }
  expect(pages).toBe(5);
  expect(seen).toBe(500);
});

import { beforeAll, expect, it } from "vitest";
import { Council } from "../../schema/council.js";
import { FundingAward } from "../../schema/funding-award.js";
import { toGlobalId } from "../../schema/global-id.js";
import {
  GovernanceBody,
  GovernanceKind,
} from "../../schema/governance-body.js";
import { GovernanceSeat } from "../../schema/governance-seat.js";
import { Membership, MembershipRole } from "../../schema/membership.js";
import { offsetCursor } from "../../server/pagination/connection.js";
import { Partnership, PartnershipStatus } from "../../schema/partnership.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { Service } from "../../schema/service.js";
import { sqlAnswerPieces } from "../../server/sql-answers/sql-answer-plan.js";
import { useTestDatabase } from "../support/test-database.js";
import { createTestGraphql, type TestGraphql } from "../support/graphql.js";

const db = useTestDatabase();
let gql: TestGraphql;

/**
 * 5 PROPOSED partnerships and 500 ACTIVE ones, each with two services hosted by councils of the
 * register (a different one for each of the first 300 services), each service with savings figures
 * for its host in two reporting periods.
 */
beforeAll(async () => {
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
  // partnerships page (with its count) and their services (with their host councils) in one
  // statement, savings (with their movements) + count, savings' services.
  expect(small.statements).toBe(4);

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

const councilPage = `query ($code: String!, $after: String) { council(code: $code) { id gssCode officialName
  memberships(first: 2) { totalCount edges { cursor node { id role costSharePercent partnership { id name status } } } }
  later: memberships(first: 5, after: $after) { totalCount edges { node { id partnership { name } } } }
  hostedServices(first: 20) { totalCount edges { node { id name status partnership { id name } } } }
} }`;

// The same lists read through `councils`, which reads them with their loaders, a statement each.
const councilPageThroughList = `query ($code: String!, $after: String) { councils(search: $code, first: 1) { edges { node { id gssCode officialName
  memberships(first: 2) { totalCount edges { cursor node { id role costSharePercent partnership { id name status } } } }
  later: memberships(first: 5, after: $after) { totalCount edges { node { id partnership { name } } } }
  hostedServices(first: 20) { totalCount edges { node { id name status partnership { id name } } } }
} } } }`;

it("reads a council page (its memberships with their partnerships, two windows of them, its hosted services with theirs) in one statement, the same pages as its lists' loaders", async () => {
  const em = db.orm.em.fork();
  const [council] = await em.find(
    Council,
    { endDate: null },
    { orderBy: { gssCode: "asc" }, limit: 1 },
  );
  const partnerships = await em.find(
    Partnership,
    { name: { $like: "Large 00%" } },
    { orderBy: { name: "asc" } },
  );
  // Joined in reverse name order, so that the memberships' own order is not their partnerships'.
  for (const [i, partnership] of [
    ...partnerships.slice(0, 4).entries(),
  ].reverse())
    em.create(Membership, {
      council: council!,
      partnership,
      role: MembershipRole.MEMBER,
      costSharePercent: i === 0 ? "12.5000" : null,
    });
  await em.flush();
  const variables = {
    code: council!.gssCode,
    after: offsetCursor(0),
  };
  db.resetQueryLog();
  type Memberships = {
    totalCount: number;
    edges: {
      node: { costSharePercent?: string | null; partnership: { name: string } };
    }[];
  };
  const page = await gql.run<{
    council: {
      memberships: Memberships;
      later: Memberships;
      hostedServices: { totalCount: number };
    };
  }>(councilPage, variables);
  expect(page.errors).toBeUndefined();
  expect(db.queries).toHaveLength(1);
  // The council, each list's rows and their partnerships carry the columns selected (and the
  // keys links read, and the order's), not whole rows.
  expect(db.queries[0]).toContain(
    "with root as (select c.gss_code, c.id, c.official_name from council c",
  );
  expect(db.queries[0]).toContain(
    "select t.cost_share_percent::text as cost_share_percent, t.id, t.partnership_id, t.role, t._sort, t._partnership from",
  );
  expect(db.queries[0]).toContain(
    "(select to_json(exact) from (select p.id, p.name, p.status) exact)",
  );
  expect(db.queries[0]).toContain(
    "select t.id, t.name, t.partnership_id, t.status, t._partnership from",
  );
  const { memberships, later, hostedServices } = page.data!.council;
  const names = (list: Memberships) =>
    list.edges.map(({ node }) => node.partnership.name);
  expect(memberships.totalCount).toBe(4);
  expect(names(memberships)).toEqual(["Large 000", "Large 001"]);
  expect(memberships.edges[0]!.node.costSharePercent).toBe("12.5000");
  expect(later.totalCount).toBe(4);
  expect(names(later)).toEqual(["Large 001", "Large 002", "Large 003"]);
  expect(hostedServices.totalCount).toBeGreaterThan(1);

  db.resetQueryLog();
  const throughList = await gql.run<{
    councils: { edges: { node: unknown }[] };
  }>(councilPageThroughList, variables);
  expect(throughList.errors).toBeUndefined();
  expect(db.queries.length).toBeGreaterThan(1);
  expect(throughList.data!.councils.edges[0]!.node).toEqual(page.data!.council);
});

const DEEP_LIST = `{ partnerships(first: 100) { totalCount edges { cursor node { id name
    services(first: 10) { totalCount edges { node { id name hostCouncil { id gssCode shortName } } } } } } } }`;

type DeepList = {
  partnerships: {
    totalCount: number;
    edges: {
      node: {
        services: {
          totalCount: number;
          edges: { node: { hostCouncil: { gssCode: string } } }[];
        };
      };
    }[];
  };
};

function expectDeepList(data: DeepList | null | undefined) {
  const { totalCount, edges } = data!.partnerships;
  expect(totalCount).toBe(505);
  expect(edges).toHaveLength(100);
  expect(edges.every(({ node }) => node.services.totalCount === 2)).toBe(true);
  expect(edges[0]!.node.services.edges[0]!.node.hostCouncil.gssCode).toMatch(
    /^E\d{8}$/,
  );
}

it("answers a page of partnerships with a page of each one's services and their host councils in one statement that builds the answer", async () => {
  db.resetQueryLog();
  const result = await gql.run<DeepList>(DEEP_LIST);
  expect(result.errors).toBeUndefined();
  expect(db.queries).toHaveLength(1);
  // Written by PostgreSQL as the answer's text (server/sql-answers/).
  expect(sqlAnswerPieces(result)).toBeDefined();
  // Each host council read by its key for the rows of the page alone: no join, which the page's
  // count would read too.
  expect(db.queries[0]).not.toContain("join council");
  expectDeepList(result.data);
});

it("reads the same page through the resolvers in one statement, folding only the columns selected", async () => {
  const resolvers = await createTestGraphql(db.orm, { sqlAnswers: false });
  db.resetQueryLog();
  const result = await resolvers.run<DeepList>(DEEP_LIST);
  expect(result.errors).toBeUndefined();
  expect(db.queries).toHaveLength(1);
  // The partnerships, each service and its host council with the columns selected (and the keys links read),
  // not whole rows.
  expect(db.queries[0]).toContain(
    "select t.host_council_id, t.id, t.name, t._host from",
  );
  expect(db.queries[0]).toContain(
    "with root as (select p.id, p.name, (count(*) over ())::int as _total from partnership p",
  );
  expect(db.queries[0]).toContain(
    "(select to_json(exact) from (select h.gss_code, h.id, h.short_name from council h where h.id = s.host_council_id) exact)",
  );
  expect(db.queries[0]).not.toContain("join council");
  expectDeepList(result.data);
});

const partnershipPageFields = `id name status description
  members { role costSharePercent council { gssCode shortName } }
  services(first: 20) { totalCount edges { node { id name status category hostCouncil { shortName } governingBody { name } } } }
  governanceBodies { name kind seats { seats council { shortName } } }
  fundingAwards { funder amount { amount } }
  savingsSummary { financialYear measures { measure total { amount } byCouncil { council { shortName } total { amount } } } }`;

it("reads a partnership page (members, a page of services with their host and body, governance bodies with their seats, funding awards, its savings summary) in one statement, the same lists and summary as their loaders", async () => {
  const em = db.orm.em.fork();
  const partnership = await em.findOneOrFail(Partnership, {
    name: "Large 010",
  });
  const councils = await em.find(
    Council,
    { endDate: null },
    { orderBy: { gssCode: "desc" }, limit: 4 },
  );
  for (const [i, council] of councils.slice(0, 3).entries())
    em.create(Membership, {
      council,
      partnership,
      role: i === 0 ? MembershipRole.LEAD : MembershipRole.MEMBER,
      costSharePercent: i === 0 ? "33.3300" : null,
    });
  const bodies = ["Joint Committee", "Board"].map((name) =>
    em.create(GovernanceBody, {
      name,
      kind: GovernanceKind.JOINT_COMMITTEE,
      partnership,
    }),
  );
  for (const [i, council] of councils.entries())
    em.create(GovernanceSeat, {
      body: bodies[i % 2]!,
      council,
      seats: i + 1,
    });
  em.create(FundingAward, { partnership, funder: "Undated", amount: "10.00" });
  em.create(FundingAward, {
    partnership,
    funder: "Dated",
    amount: "1234.50",
    awardedOn: "2015-04-01",
  });
  const service = await em.findOneOrFail(Service, {
    partnership,
    name: "Service 1",
  });
  service.governingBody = bodies[0]!;
  await em.flush();

  db.resetQueryLog();
  type Page = {
    members: { council: { shortName: string } }[];
    governanceBodies: {
      name: string;
      seats: { council: { shortName: string } }[];
    }[];
    fundingAwards: { funder: string; amount: { amount: string } }[];
    services: { totalCount: number };
    savingsSummary: {
      financialYear: string;
      measures: { total: { amount: string } }[];
    }[];
  };
  const page = await gql.run<{ partnership: Page }>(
    `query ($id: ID!) { partnership(id: $id) { ${partnershipPageFields} } }`,
    { id: toGlobalId("Partnership", partnership.id) },
  );
  expect(page.errors).toBeUndefined();
  // The partnership, its lists and its savings summary.
  expect(db.queries).toHaveLength(1);
  const { members, governanceBodies, fundingAwards, services, savingsSummary } =
    page.data!.partnership;
  // Its two services' latest figures (10.00 and 10.01, each reported in two months), each once.
  expect(
    savingsSummary.map(({ financialYear, measures }) => [
      financialYear,
      measures.map((measure) => measure.total.amount),
    ]),
  ).toEqual([["2014/15", ["20.01"]]]);
  expect(members).toHaveLength(3);
  const names = members.map((member) => member.council.shortName);
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  expect(governanceBodies.map((body) => body.name)).toEqual([
    "Board",
    "Joint Committee",
  ]);
  expect(governanceBodies.map((body) => body.seats.length)).toEqual([2, 2]);
  for (const { seats } of governanceBodies) {
    const seatNames = seats.map((seat) => seat.council.shortName);
    expect(seatNames).toEqual(
      [...seatNames].sort((a, b) => a.localeCompare(b)),
    );
  }
  expect(fundingAwards).toEqual([
    { funder: "Dated", amount: { amount: "1234.50" } },
    { funder: "Undated", amount: { amount: "10.00" } },
  ]);
  expect(services.totalCount).toBe(2);

  // The same page through `partnerships`, whose node reads these lists with their own loaders.
  db.resetQueryLog();
  const throughList = await gql.run<{
    partnerships: { edges: { node: Page }[] };
  }>(
    `{ partnerships(search: "Large 010", first: 1) { edges { node { ${partnershipPageFields} } } } }`,
  );
  expect(throughList.errors).toBeUndefined();
  expect(db.queries.length).toBeGreaterThan(2);
  expect(throughList.data!.partnerships.edges[0]!.node).toEqual(
    page.data!.partnership,
  );
});

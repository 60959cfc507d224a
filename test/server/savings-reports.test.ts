import { beforeAll, expect, it } from "vitest";
import { Council } from "../../schema/council.js";
import { Membership, MembershipRole } from "../../schema/membership.js";
import { Partnership, PartnershipStatus } from "../../schema/partnership.js";
import { Role } from "../../schema/role.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { Service } from "../../schema/service.js";
import { toGlobalId } from "../../schema/global-id.js";
import { AccessScope } from "../../server/auth/access-scope.js";
import type { Caller } from "../../server/caller.js";
import { createLoaders } from "../../server/loaders.js";
import { createTestGraphql, type TestGraphql } from "../support/graphql.js";
import { useTestDatabase } from "../support/test-database.js";

const db = useTestDatabase();
let gql: TestGraphql;
let codes: string[];
let tracked: number;
let elsewhere: number;

/**
 * Two partnerships. In the first, one figure (the host's view of its own saving) reported in three
 * months, the same figure reported by the partnership itself once (another source), and a second
 * figure key; in the second partnership one figure reported twice.
 */
beforeAll(async () => {
  gql = await createTestGraphql(db.orm);
  const em = db.orm.em.fork();
  const councils = await em.find(
    Council,
    { endDate: null },
    { orderBy: { gssCode: "asc" }, limit: 2 },
  );
  const [a, b] = councils as [Council, Council];
  codes = [a.gssCode, b.gssCode];
  const figure = (
    service: Service,
    council: Council,
    reportedBy: Council | null,
    financialYear: number,
    reportingPeriod: string,
    amount: string,
  ) =>
    em.create(SavingsFigure, {
      service,
      council,
      reportedBy,
      financialYear,
      measure: SavingsMeasure.ACHIEVED,
      cashable: true,
      amount,
      reportingPeriod,
    });
  const first = em.create(Partnership, {
    name: "Alpha",
    alternativeNames: [],
    status: PartnershipStatus.ACTIVE,
  });
  const audit = em.create(Service, {
    partnership: first,
    name: "Audit",
    hostCouncil: a,
  });
  const monthly = [
    figure(audit, a, a, 2015, "2015-03", "100.10"),
    figure(audit, a, a, 2015, "2015-06", "120.25"),
    figure(audit, a, a, 2015, "2016-03", "90.00"),
  ];
  figure(audit, a, null, 2015, "2015-09", "7.00");
  figure(audit, a, a, 2016, "2016-03", "5.55");
  const second = em.create(Partnership, {
    name: "Beta",
    alternativeNames: [],
    status: PartnershipStatus.ACTIVE,
  });
  const payroll = em.create(Service, {
    partnership: second,
    name: "Payroll",
    hostCouncil: b,
  });
  em.create(Membership, {
    partnership: first,
    council: a,
    role: MembershipRole.MEMBER,
  });
  em.create(Membership, {
    partnership: second,
    council: b,
    role: MembershipRole.MEMBER,
  });
  const other = [
    figure(payroll, b, b, 2015, "2015-03", "1.00"),
    figure(payroll, b, b, 2015, "2015-06", "2.00"),
  ];
  await em.flush();
  tracked = monthly[2]!.id;
  elsewhere = other[1]!.id;
}, 60_000);

const finance: Caller = {
  name: "finance",
  role: Role.FINANCE,
  councilGssCodes: null,
};

type Report = {
  cursor: string;
  node: {
    reportingPeriod: string;
    amount: { amount: string };
    movement: { amount: string } | null;
  };
};
type Reports = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Report[];
};

const REPORTS = `totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { reportingPeriod amount { amount } movement { amount } } }`;

const periods = (reports: Reports) =>
  reports.edges.map(({ node }) => [
    node.reportingPeriod,
    node.amount.amount,
    node.movement?.amount ?? null,
  ]);

it("lists every report of a figure by its source across months, oldest first, with exact amounts and movements", async () => {
  const result = await gql.run<{
    savings: {
      edges: {
        node: { id: string; reportingPeriod: string; reports: Reports };
      }[];
    };
  }>(
    `{ savings(financialYear: "2015/16", source: OWN) { edges { node { id reportingPeriod reports { ${REPORTS} } } } } }`,
    undefined,
    finance,
  );
  expect(result.errors).toBeUndefined();
  const latest = result.data!.savings.edges.map(({ node }) => node);
  const alpha = latest.find(
    (n) => n.id === toGlobalId("SavingsFigure", tracked),
  )!;
  expect(alpha.reportingPeriod).toBe("2016-03");
  expect(alpha.reports.totalCount).toBe(3);
  // The partnership's own report of the same figure is another source's: not among these.
  expect(periods(alpha.reports)).toEqual([
    ["2015-03", "100.10", null],
    ["2015-06", "120.25", "20.15"],
    ["2016-03", "90.00", "-30.25"],
  ]);
  const beta = latest.find(
    (n) => n.id === toGlobalId("SavingsFigure", elsewhere),
  )!;
  expect(periods(beta.reports)).toEqual([
    ["2015-03", "1.00", null],
    ["2015-06", "2.00", "1.00"],
  ]);
});

it("pages the reports with cursors", async () => {
  const page = async (after: string | null) =>
    (
      await gql.run<{ node: { reports: Reports } }>(
        `query ($id: ID!, $after: String) { node(id: $id) { ... on SavingsFigure { reports(first: 2, after: $after) { ${REPORTS} } } } }`,
        { id: toGlobalId("SavingsFigure", tracked), after },
        finance,
      )
    ).data!.node.reports;
  const first = await page(null);
  expect(periods(first).map(([period]) => period)).toEqual([
    "2015-03",
    "2015-06",
  ]);
  expect(first.pageInfo.hasNextPage).toBe(true);
  const second = await page(first.pageInfo.endCursor);
  expect(periods(second).map(([period]) => period)).toEqual(["2016-03"]);
  expect(second.pageInfo.hasNextPage).toBe(false);
  expect(second.totalCount).toBe(3);
});

it("reads the reports of a whole page of figures in one statement, movements included", async () => {
  const count = async (first: number) => {
    db.resetQueryLog();
    const result = await gql.run<{ savings: { edges: unknown[] } }>(
      `query ($first: Int) { savings(first: $first) { edges { node { reports { ${REPORTS} } } } } }`,
      { first },
      finance,
    );
    expect(result.errors).toBeUndefined();
    return {
      statements: db.queries.length,
      figures: result.data!.savings.edges.length,
    };
  };
  const one = await count(1);
  const all = await count(50);
  expect(one.figures).toBe(1);
  expect(all.figures).toBe(4);
  // The savings page (with its movements) and the reports of every figure on it.
  expect(one.statements).toBe(2);
  expect(all.statements).toBe(one.statements);
});

it("keeps a council-bound caller's reports to its own partnerships", async () => {
  const bound: Caller = {
    name: "beta only",
    role: Role.FINANCE,
    councilGssCodes: [codes[1]!],
  };
  const reports = async (id: number) =>
    (
      await gql.run<{ node: { reports: Reports } | null }>(
        `query ($id: ID!) { node(id: $id) { ... on SavingsFigure { reports { ${REPORTS} } } } }`,
        { id: toGlobalId("SavingsFigure", id) },
        bound,
      )
    ).data!.node;
  expect((await reports(elsewhere))!.reports.totalCount).toBe(2);
  const hidden = await gql.run(
    `query ($id: ID!) { node(id: $id) { ... on SavingsFigure { reports { totalCount } } } }`,
    { id: toGlobalId("SavingsFigure", tracked) },
    bound,
  );
  expect(hidden.data?.node ?? null).toBeNull();
  // The reports query applies the scope itself, whatever led to the figure.
  const em = db.orm.em.fork();
  const loaders = createLoaders(em, await AccessScope.of(em, bound));
  const page = { offset: 0, limit: 10 };
  expect((await loaders.figureReports(page).load(tracked)).total).toBe(0);
  expect((await loaders.figureReports(page).load(elsewhere)).total).toBe(2);
});

import { beforeAll, expect, it } from "vitest";
import { Council } from "../../schema/council.js";
import { Membership, MembershipRole } from "../../schema/membership.js";
import { Partnership, PartnershipStatus } from "../../schema/partnership.js";
import { Role } from "../../schema/role.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { Service } from "../../schema/service.js";
import type { Caller } from "../../server/caller.js";
import { createTestGraphql, type TestGraphql } from "../support/graphql.js";
import { useTestDatabase } from "../support/test-database.js";

const db = useTestDatabase();
let gql: TestGraphql;
let a: { gss: string; register: string | null };
let b: string;

/**
 * Council A: figures in two partnerships (its own claims in three months, the partnership's report
 * of its share, two more years and a non-cashable figure); council B: a member of the second only.
 */
beforeAll(async () => {
  gql = await createTestGraphql(db.orm);
  const em = db.orm.em.fork();
  const [first, second] = (await em.find(
    Council,
    { endDate: null, registerCode: { $ne: null } },
    { orderBy: { gssCode: "asc" }, limit: 2 },
  )) as [Council, Council];
  a = { gss: first.gssCode, register: first.registerCode ?? null };
  b = second.gssCode;
  const alpha = em.create(Partnership, {
    name: "Alpha",
    alternativeNames: [],
    status: PartnershipStatus.ACTIVE,
  });
  const beta = em.create(Partnership, {
    name: "Beta",
    alternativeNames: [],
    status: PartnershipStatus.ACTIVE,
  });
  em.create(Membership, {
    partnership: alpha,
    council: first,
    role: MembershipRole.MEMBER,
  });
  em.create(Membership, {
    partnership: beta,
    council: first,
    role: MembershipRole.MEMBER,
  });
  em.create(Membership, {
    partnership: beta,
    council: second,
    role: MembershipRole.MEMBER,
  });
  const audit = em.create(Service, {
    partnership: alpha,
    name: "Audit",
    hostCouncil: first,
  });
  const payroll = em.create(Service, {
    partnership: beta,
    name: "Payroll",
    hostCouncil: second,
  });
  const figure = (
    service: Service,
    reportedBy: Council | null,
    financialYear: number,
    reportingPeriod: string,
    amount: string,
    cashable = true,
  ) =>
    em.create(SavingsFigure, {
      service,
      council: first,
      reportedBy,
      financialYear,
      measure: SavingsMeasure.ACHIEVED,
      cashable,
      amount,
      reportingPeriod,
    });
  figure(audit, first, 2015, "2015-03", "100.10");
  figure(audit, first, 2015, "2015-06", "120.25");
  figure(audit, first, 2015, "2016-03", "90.00");
  figure(audit, null, 2015, "2015-09", "7.00");
  figure(audit, first, 2016, "2016-03", "5.55");
  figure(audit, first, 2016, "2016-03", "0.01", false);
  figure(payroll, first, 2015, "2015-03", "1.00");
  figure(payroll, first, 2015, "2015-06", "2.50");
  await em.flush();
}, 60_000);

const finance: Caller = {
  name: "finance",
  role: Role.FINANCE,
  councilGssCodes: null,
};

type Page = {
  id: string;
  savings: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: {
      cursor: string;
      node: {
        id: string;
        reportingPeriod: string;
        amount: { amount: string };
        movement: { amount: string } | null;
      };
    }[];
  };
};

/**
 * The council's savings page, read through the council's own statement or (with `@include`,
 * which the look-ahead leaves to the field itself) through the savings list's own statement.
 */
async function councilPage(
  code: string,
  args: string,
  caller: Caller = finance,
  separately = false,
) {
  db.resetQueryLog();
  const result = await gql.run<{ council: Page }>(
    `query ($code: String!) { council(code: $code) { id
      savings(${args})${separately ? " @include(if: true)" : ""} { pageInfo { hasNextPage endCursor }
        edges { cursor node { id reportingPeriod amount { amount } movement { amount } } } } } }`,
    { code },
    caller,
  );
  return { result, statements: db.queries.length };
}

it("reads a council and its first savings page in one statement, with the figures, cursors and movements the list reads on its own", async () => {
  const together = await councilPage(a.gss, "first: 3");
  const apart = await councilPage(a.gss, "first: 3", finance, true);
  expect(together.result.errors).toBeUndefined();
  expect(together.result).toEqual(apart.result);
  expect(together.statements).toBe(1);
  expect(apart.statements).toBe(2);
  const edges = together.result.data!.council.savings.edges;
  // The partnership's own report of A's share sorts before A's own claim (see SAVINGS_ORDER).
  expect(edges.map(({ node }) => node.amount.amount)).toEqual([
    "7.00",
    "90.00",
    "0.01",
  ]);
  expect(edges[1]!.node.movement?.amount).toBe("-30.25");
  expect(together.result.data!.council.savings.pageInfo.hasNextPage).toBe(true);
});

it("pages on from a cursor, filters by asOf and year, and finds the council by register code in any case, the same as the list on its own", async () => {
  const first = await councilPage(a.gss, "first: 2");
  const after = first.result.data!.council.savings.pageInfo.endCursor!;
  for (const [code, args] of [
    [a.gss, `first: 2, after: "${after}"`],
    [a.gss, `first: 10, asOf: "2015-06"`],
    [a.gss, `financialYear: "2016/17", cashable: true`],
    [a.gss, "first: 0"],
    [a.register!.toLowerCase(), "first: 50"],
  ] as const) {
    const together = await councilPage(code, args);
    const apart = await councilPage(code, args, finance, true);
    expect(together.result.errors).toBeUndefined();
    expect(together.result).toEqual(apart.result);
    expect(together.statements).toBe(1);
  }
  const asOf = await councilPage(a.gss, `first: 10, asOf: "2015-06"`);
  expect(
    asOf.result.data!.council.savings.edges.map(({ node }) => [
      node.reportingPeriod,
      node.amount.amount,
      node.movement?.amount ?? null,
    ]),
  ).toEqual([
    ["2015-06", "120.25", "20.15"],
    ["2015-06", "2.50", "1.50"],
  ]);
});

it("keeps a council-bound caller to its own partnerships' figures on the one-statement path", async () => {
  const bound: Caller = {
    name: "beta only",
    role: Role.FINANCE,
    councilGssCodes: [b],
  };
  const together = await councilPage(a.gss, "first: 50", bound);
  const apart = await councilPage(a.gss, "first: 50", bound, true);
  expect(together.result.errors).toBeUndefined();
  expect(together.result).toEqual(apart.result);
  expect(
    together.result.data!.council.savings.edges.map(
      ({ node }) => node.amount.amount,
    ),
  ).toEqual(["2.50"]);
  // The caller's scope, then the council with its page.
  expect(together.statements).toBe(2);
});

it("answers an unknown code with NOT_FOUND and a bad cursor with BAD_USER_INPUT at the savings field, as before", async () => {
  const missing = await councilPage("E99999999", "first: 5");
  expect(missing.result.data ?? null).toBeNull();
  expect(missing.result.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  expect(missing.statements).toBe(1);
  const bad = await councilPage(a.gss, `first: 5, after: "nonsense"`);
  expect(bad.result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  expect(bad.result.errors?.[0]?.path).toEqual(["council", "savings"]);
});

it("reads only the columns a page's figures select, and gives a wider selection of the same page every field it asks for", async () => {
  await db.orm.em
    .fork()
    .getConnection()
    .execute(
      `update savings_figure set source_sheet = 'Savings', source_cell = 'D7', rag_status = 'Green',
         extra = '{"Note": "kept"}' where amount = 90.00`,
    );
  const wideFields = `id amount { amount } movement { amount } ragStatus sourceSheet sourceCell extra
    source reportedBy { gssCode } council { gssCode } service { name } financialYear measure cashable reportingPeriod`;
  type Node = Record<string, unknown> & { id: string };
  const asked = async (query: string) => {
    db.resetQueryLog();
    const result = await gql.run<{
      council: Record<string, { edges: { cursor: string; node: Node }[] }>;
    }>(query, { code: a.gss }, finance);
    expect(result.errors).toBeUndefined();
    return { council: result.data!.council, statements: [...db.queries] };
  };
  // One selection: one statement, which reads neither the figures' unselected columns nor the council's.
  const narrow = await asked(
    `query ($code: String!) { council(code: $code) { id savings(first: 3) { edges { cursor node { id amount { amount } } } } } }`,
  );
  expect(narrow.statements).toHaveLength(1);
  expect(narrow.statements[0]).not.toMatch(
    /\bf\.\*|source_sheet|extra|to_json\(c\)/,
  );
  const wide = await asked(
    `query ($code: String!) { council(code: $code) { id savings(first: 3) { edges { cursor node { ${wideFields} } } } } }`,
  );
  // The page's statement reads the columns its fields read (the links' loaders run after it).
  expect(wide.statements[0]).toMatch(/f\.source_sheet.*f\.service_id/s);
  expect(wide.statements[0]).toMatch(/f\.extra/);
  // Both in one request (aliases): each page gets what it selects.
  const both = await asked(
    `query ($code: String!) { council(code: $code) { id
      narrow: savings(first: 3) { edges { cursor node { id amount { amount } } } }
      wide: savings(first: 3) { edges { cursor node { ${wideFields} } } } } }`,
  );
  expect(both.council.narrow).toEqual(narrow.council.savings);
  expect(both.council.wide).toEqual(wide.council.savings);
  // Every figure as node(id) reads it from its whole row.
  const wideNodes = wide.council.savings!.edges.map(({ node }) => node);
  for (const node of wideNodes) {
    const whole = await gql.run<{ node: Node }>(
      `query ($id: ID!) { node(id: $id) { ... on SavingsFigure { ${wideFields} } } }`,
      { id: node.id },
      finance,
    );
    expect(whole.data!.node).toEqual(node);
  }
  expect(wideNodes.find((node) => node.sourceSheet)).toMatchObject({
    amount: { amount: "90.00" },
    ragStatus: "Green",
    sourceCell: "D7",
    extra: { Note: "kept" },
  });
});

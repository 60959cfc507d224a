import { beforeAll, describe, expect, it } from "vitest";
import { nationalFinance } from "../support/callers.js";
import { createTestGraphql, type TestGraphql } from "../support/graphql.js";
import { startTestHttp } from "../support/http.js";
import { useTestDatabase } from "../support/test-database.js";
import {
  BOLSOVER,
  CHESTERFIELD,
  seedSavings,
} from "../reconcile/savings-seed.js";

// The same bad input gets the same error from every transport, and a partnership is found by the
// same names everywhere ("&" for "and", any case or punctuation).

const db = useTestDatabase();
let gql: TestGraphql;
let base: string;

beforeAll(async () => {
  await seedSavings(db.orm.em, {
    name: "Bromsgrove and Redditch Input Services",
    members: [{ gss: CHESTERFIELD }, { gss: BOLSOVER }],
    figures: [
      { service: "Payroll", amount: "100.00" },
      { service: "Payroll", gss: BOLSOVER, amount: "50.00" },
    ],
  });
  gql = await createTestGraphql(db.orm, { caller: nationalFinance });
  const http = await startTestHttp(db.orm, {
    callerFor: async () => nationalFinance,
  });
  base = http.base;
  return http.close;
});

const NAME = "bromsgrove & redditch input-services";

async function graphqlError(query: string, variables: Record<string, unknown>) {
  const result = await gql.run(query, variables);
  const error = result.errors?.[0];
  return { code: error?.extensions?.code, message: error?.message };
}

async function exportError(params: string) {
  const response = await fetch(`${base}/exports/reconciliation.xlsx?${params}`);
  const body = (await response.json()) as {
    errors: { message: string; extensions: { code: string } }[];
  };
  const [error] = body.errors;
  return {
    status: response.status,
    code: error?.extensions.code,
    message: error?.message,
  };
}

describe("user input", () => {
  it('refuses asOf: "" with BAD_USER_INPUT naming asOf in reconciliation, savings lists, summaries and the export', async () => {
    const message =
      'asOf must be a month written YYYY-MM, e.g. "2010-03"; got "".';
    for (const query of [
      `query ($p: ID!, $asOf: String) { reconciliation(partnership: $p, financialYear: "2009/10", asOf: $asOf) { latestPeriod } }`,
      `query ($asOf: String) { savings(asOf: $asOf) { totalCount } }`,
      `query ($asOf: String) { savingsSummary(asOf: $asOf) { financialYear } }`,
      `query ($asOf: String) { councils(first: 1) { edges { node { savings(asOf: $asOf) { totalCount } } } } }`,
    ])
      expect(await graphqlError(query, { p: NAME, asOf: "" }), query).toEqual({
        code: "BAD_USER_INPUT",
        message,
      });
    expect(
      await exportError(
        `partnership=${encodeURIComponent(NAME)}&year=2009/10&asOf=`,
      ),
    ).toEqual({ status: 400, code: "BAD_USER_INPUT", message });
  });

  it("refuses a financial year whose years do not follow with the same words in GraphQL and the export", async () => {
    const words =
      'must be a financial year written like "2009/10" (consecutive years); got "2009/11".';
    const graphql = await graphqlError(
      `query ($p: ID!, $year: FinancialYear!) { reconciliation(partnership: $p, financialYear: $year) { latestPeriod } }`,
      { p: NAME, year: "2009/11" },
    );
    expect(graphql.code).toBe("BAD_USER_INPUT");
    expect(graphql.message).toContain(`FinancialYear ${words}`);
    expect(
      await exportError(`partnership=${encodeURIComponent(NAME)}&year=2009/11`),
    ).toEqual({
      status: 400,
      code: "BAD_USER_INPUT",
      message: `year ${words}`,
    });
  });

  it("finds the partnership by the same matcher in GraphQL and the export, reading & as and", async () => {
    const result = await gql.run<{
      reconciliation: {
        partnership: { name: string };
        lines: { status: string }[];
      };
    }>(
      `query ($p: ID!) { reconciliation(partnership: $p, financialYear: "2009-10") { partnership { name } lines { status } } }`,
      { p: NAME },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.reconciliation.partnership.name).toBe(
      "Bromsgrove and Redditch Input Services",
    );
    const response = await fetch(
      `${base}/exports/reconciliation.xlsx?partnership=${encodeURIComponent(NAME)}&year=2009-10`,
    );
    expect(response.status).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHttp, type TestHttp } from "../support/http.js";
import {
  createTestDatabase,
  type TestDatabase,
} from "../support/test-database.js";

let db: TestDatabase;
let production: TestHttp;
let development: TestHttp;

beforeAll(async () => {
  db = await createTestDatabase();
  production = await startTestHttp(db.orm, { production: true });
  development = await startTestHttp(db.orm);
});
afterAll(async () => {
  await production.close();
  await development.close();
  await db.drop();
});

interface Answer {
  status: number;
  body: {
    data?: unknown;
    errors?: {
      message: string;
      extensions: { code: string; argument?: string };
    }[];
  };
}

async function graphql(
  http: TestHttp,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Answer> {
  const response = await fetch(`${http.base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

describe("string arguments", () => {
  it("refuses a NUL character in a literal or a variable with BAD_USER_INPUT naming the argument", async () => {
    for (const answer of [
      await graphql(
        development,
        '{ councils(search: "Chester\\u0000field") { totalCount } }',
      ),
      await graphql(
        development,
        "query ($s: String) { councils(search: $s) { totalCount } }",
        { s: "Chester\0field" },
      ),
    ]) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        {
          message: expect.stringMatching(/"search" of "councils".*NUL/),
          extensions: { code: "BAD_USER_INPUT", argument: "search" },
        },
      ]);
    }
    const id = await graphql(development, '{ node(id: "\\u0000") { id } }');
    expect(id.body.errors![0]!.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argument: "id",
    });
  });

  it("refuses a string argument over the length limit before running anything", async () => {
    const answer = await graphql(
      development,
      "query ($s: String) { partnerships(search: $s) { totalCount } }",
      { s: "x".repeat(900_000) },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      {
        message: expect.stringMatching(
          /"search" of "partnerships" is 900000 characters long; the most allowed is 1000/,
        ),
        extensions: { code: "BAD_USER_INPUT", argument: "search" },
      },
    ]);
  });
});

describe("production tells nothing of the schema", () => {
  const mistakes = [
    '{ counci(code: "E06000049") { shortName } }',
    '{ council(cod: "E06000049") { shortName } }',
    "{ savings(measure: ACHIEVD) { totalCount } }",
  ];

  it('answers a mistyped field, argument or enum value without "Did you mean"', async () => {
    for (const query of mistakes) {
      const answer = await graphql(production, query);
      expect(answer.body.errors!.length, query).toBeGreaterThanOrEqual(1);
      for (const error of answer.body.errors!)
        expect(error.message, query).not.toMatch(/did you mean/i);
    }
    const variable = await graphql(
      production,
      "query ($m: SavingsMeasure) { savings(measure: $m) { totalCount } }",
      { m: "ACHIEVD" },
    );
    expect(variable.body.errors![0]!.extensions.code).toBe("BAD_USER_INPUT");
    expect(variable.body.errors![0]!.message).not.toMatch(/did you mean/i);
  });

  it("still suggests names in development", async () => {
    for (const query of mistakes) {
      const answer = await graphql(development, query);
      expect(answer.body.errors![0]!.message, query).toMatch(/Did you mean/);
    }
  });
});

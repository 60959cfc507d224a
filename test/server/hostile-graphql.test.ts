import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectPostgres,
  type PostgresClient,
} from "../../db/connect-postgres.js";
import { openOrm } from "../../db/open-orm.js";
import { statementTimeoutFromEnv } from "../../db/orm-config.js";
import { requestTimeoutFromEnv } from "../../server/request-scope.js";
import { startTestHttp, type TestHttp } from "../support/http.js";
import { useTestDatabase } from "../support/test-database.js";

const db = useTestDatabase();
let production: TestHttp;
let development: TestHttp;

beforeAll(async () => {
  production = await startTestHttp(db.orm, { production: true });
  development = await startTestHttp(db.orm);
});
afterAll(async () => {
  await production.close();
  await development.close();
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

  it("refuses half of a surrogate pair in a variable, which PostgreSQL would receive as another character", async () => {
    const answer = await graphql(
      development,
      "query ($s: String) { councils(search: $s) { totalCount } }",
      { s: "Chester\ud800field" },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      {
        message: expect.stringMatching(
          /"search" of "councils" holds half of a character/,
        ),
        extensions: { code: "BAD_USER_INPUT", argument: "search" },
      },
    ]);
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

describe("one request cannot hold the hub", () => {
  it("refuses 1,000 aliases of savingsSummary as QUERY_TOO_COSTLY: an aggregate costs the rows it reads", async () => {
    const aliases = Array.from(
      { length: 1000 },
      (_, i) => `s${i}: savingsSummary { financialYear }`,
    ).join(" ");
    const answer = await graphql(development, `{ ${aliases} }`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors![0]!.extensions.code).toBe("QUERY_TOO_COSTLY");
  });

  /** Runs `body` while another connection holds an exclusive lock on the council table. */
  async function whileCouncilsLocked<T>(
    body: (locker: PostgresClient) => Promise<T>,
  ): Promise<T> {
    const locker = await connectPostgres(db.url);
    try {
      await locker.query("begin");
      await locker.query("lock table council in access exclusive mode");
      return await body(locker);
    } finally {
      await locker.query("rollback").catch(() => undefined);
      await locker.end();
    }
  }

  /** Waits (up to 10 s) until no statement of this database waits for the lock; false if one still does. */
  async function noneWaitingOnLock(locker: PostgresClient): Promise<boolean> {
    for (let waited = 0; waited < 10_000; waited += 50) {
      const { rows } = await locker.query<{ waiting: string }>(
        `select count(*) as waiting from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`,
      );
      if (Number(rows[0]!.waiting) === 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  it("cancels a statement that passes SSHUB_STATEMENT_TIMEOUT_MS, answering TIMED_OUT", async () => {
    process.env.SSHUB_STATEMENT_TIMEOUT_MS = "300";
    const orm = await openOrm(db.url);
    delete process.env.SSHUB_STATEMENT_TIMEOUT_MS;
    const http = await startTestHttp(orm);
    try {
      await whileCouncilsLocked(async () => {
        const answer = await graphql(http, "{ councils { totalCount } }");
        expect(answer.body.errors).toEqual([
          expect.objectContaining({
            message: expect.stringContaining("SSHUB_STATEMENT_TIMEOUT_MS"),
            extensions: { code: "TIMED_OUT" },
          }),
        ]);
      });
    } finally {
      await http.close();
      await orm.close();
    }
  }, 20_000);

  it("answers 503 TIMED_OUT at the request deadline and stops the request's statement in PostgreSQL", async () => {
    const http = await startTestHttp(db.orm, { requestTimeoutMs: 500 });
    try {
      await whileCouncilsLocked(async (locker) => {
        const answer = await graphql(http, "{ councils { totalCount } }");
        expect(answer.status).toBe(503);
        expect(answer.body.errors).toEqual([
          {
            message: expect.stringContaining("SSHUB_REQUEST_TIMEOUT_MS"),
            extensions: { code: "TIMED_OUT" },
          },
        ]);
        expect(await noneWaitingOnLock(locker)).toBe(true);
      });
    } finally {
      await http.close();
    }
  }, 20_000);

  it("stops the other fields' statements once a FORBIDDEN field has answered the request", async () => {
    await whileCouncilsLocked(async (locker) => {
      const answer = await graphql(
        development,
        "{ councils { totalCount } auditEvents { totalCount } }",
      );
      expect(answer.body.data).toBeNull();
      expect(answer.body.errors![0]!.extensions.code).toBe("FORBIDDEN");
      expect(await noneWaitingOnLock(locker)).toBe(true);
    });
  }, 20_000);
});

describe("the time limits' settings", () => {
  it("read SSHUB_STATEMENT_TIMEOUT_MS and SSHUB_REQUEST_TIMEOUT_MS, refusing nonsense", () => {
    expect(statementTimeoutFromEnv({})).toBe(30_000);
    expect(statementTimeoutFromEnv({ SSHUB_STATEMENT_TIMEOUT_MS: "0" })).toBe(
      0,
    );
    expect(requestTimeoutFromEnv({})).toBe(60_000);
    expect(requestTimeoutFromEnv({ SSHUB_REQUEST_TIMEOUT_MS: "1500" })).toBe(
      1500,
    );
    expect(() =>
      statementTimeoutFromEnv({ SSHUB_STATEMENT_TIMEOUT_MS: "30s" }),
    ).toThrow(/SSHUB_STATEMENT_TIMEOUT_MS must be a whole number/);
    expect(() =>
      requestTimeoutFromEnv({ SSHUB_REQUEST_TIMEOUT_MS: "-1" }),
    ).toThrow(/SSHUB_REQUEST_TIMEOUT_MS/);
  });
});

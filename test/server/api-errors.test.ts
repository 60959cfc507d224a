import { startTestHttp } from "../support/http.js";
import { beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../schema/global-id.js";
import { buildHubSchema } from "../../server/build-schema.js";
import { anonymousDevelopmentViewer } from "../../server/caller.js";
import { createApollo } from "../../server/create-apollo.js";
import {
  DEFAULT_QUERY_LIMITS,
  queryLimitsFromEnv,
} from "../../server/query-limits.js";
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

async function codeOf(query: string, variables?: Record<string, unknown>) {
  const result = await gql.run(query, variables);
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  return result.errors![0]!.extensions!.code;
}

describe("NOT_FOUND", () => {
  it("answers ids and codes of objects that do not exist", async () => {
    expect(
      await codeOf(
        `{ partnership(id: "${toGlobalId("Partnership", 999999)}") { name } }`,
      ),
    ).toBe("NOT_FOUND");
    expect(
      await codeOf(
        `{ service(id: "${toGlobalId("Service", 999999)}") { name } }`,
      ),
    ).toBe("NOT_FOUND");
    expect(
      await codeOf(
        `{ node(id: "${toGlobalId("SavingsFigure", 999999)}") { id } }`,
      ),
    ).toBe("NOT_FOUND");
    expect(
      await codeOf(`{ services(council: "E99999999") { totalCount } }`),
    ).toBe("NOT_FOUND");
  });
});

describe("BAD_USER_INPUT", () => {
  it("refuses ids the API did not give out, and ids of another type", async () => {
    expect(await codeOf(`{ partnership(id: "42") { name } }`)).toBe(
      "BAD_USER_INPUT",
    );
    expect(await codeOf(`{ node(id: "not an id!") { id } }`)).toBe(
      "BAD_USER_INPUT",
    );
    expect(
      await codeOf(
        `{ node(id: "${Buffer.from("Widget:1").toString("base64url")}") { id } }`,
      ),
    ).toBe("BAD_USER_INPUT");
    const serviceId = toGlobalId("Service", hub.revenues.id);
    const result = await gql.run(
      `{ partnership(id: "${serviceId}") { name } }`,
    );
    expect(result.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(result.errors![0]!.message).toContain(
      "Service, not of a Partnership",
    );
    expect(
      await codeOf(`{ services(partnership: "${serviceId}") { totalCount } }`),
    ).toBe("BAD_USER_INPUT");
  });

  it("refuses bad cursors on offset and keyset lists, at the root and nested", async () => {
    expect(
      await codeOf(`{ partnerships(after: "bm9wZQ") { totalCount } }`),
    ).toBe("BAD_USER_INPUT");
    expect(
      await codeOf(`{ savings(after: "b2Zmc2V0OjE") { totalCount } }`),
    ).toBe("BAD_USER_INPUT");
    expect(
      await codeOf(
        `{ council(code: "E07000034") { services(after: "x") { totalCount } } }`,
      ),
    ).toBe("BAD_USER_INPUT");
    const keysetLike = Buffer.from(
      'savings:[1,2,"NOT_A_MEASURE",true,0]',
    ).toString("base64url");
    expect(
      await codeOf(`{ savings(after: "${keysetLike}") { totalCount } }`),
    ).toBe("BAD_USER_INPUT");
  });

  it("refuses page sizes above 100 or below 0", async () => {
    expect(await codeOf(`{ services(first: 101) { totalCount } }`)).toBe(
      "BAD_USER_INPUT",
    );
    expect(await codeOf(`{ savings(first: -1) { totalCount } }`)).toBe(
      "BAD_USER_INPUT",
    );
    expect(
      await codeOf(
        `{ partnerships { edges { node { services(first: 500) { totalCount } } } } }`,
      ),
    ).toBe("BAD_USER_INPUT");
  });

  it("refuses financial years and reporting periods that are not written as documented", async () => {
    const variable = await gql.run(
      `query ($year: FinancialYear) { savings(financialYear: $year) { totalCount } }`,
      { year: "2014-2016" },
    );
    expect(variable.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(
      await codeOf(`{ savings(financialYear: "2014/16") { totalCount } }`),
    ).toBe("BAD_USER_INPUT");
    expect(
      await codeOf(
        `{ savingsSummary(financialYear: "2014") { financialYear } }`,
      ),
    ).toBe("BAD_USER_INPUT");
    expect(await codeOf(`{ savings(asOf: "March 2015") { totalCount } }`)).toBe(
      "BAD_USER_INPUT",
    );
    expect(
      await codeOf(`{ savingsSummary(asOf: "2015-13") { financialYear } }`),
    ).toBe("BAD_USER_INPUT");
  });
});

describe("query limits", () => {
  it("refuses a query nested deeper than the limit with QUERY_TOO_DEEP", async () => {
    const deep = `{ council(code: "E07000034") { predecessors { successors { predecessors { successors {
      predecessors { successors { predecessors { successors { predecessors { successors { predecessors {
      successors { predecessors { successors { gssCode } } } } } } } } } } } } } } } }`;
    const result = await gql.run(deep);
    expect(result.errors![0]!.extensions!.code).toBe("QUERY_TOO_DEEP");
    expect(result.errors![0]!.message).toContain("SSHUB_MAX_QUERY_DEPTH");
    expect(result.data).toBeUndefined();
  });

  it("refuses a query that may return too many objects with QUERY_TOO_COSTLY, counting page sizes", async () => {
    const costly = `query ($n: Int) { partnerships(first: 100) { edges { node { services(first: $n) { edges { node {
      partnerCouncils { services(first: $n) { edges { node { name } } } } } } } } } } }`;
    const result = await gql.run(costly, { n: 100 });
    expect(result.errors![0]!.extensions!.code).toBe("QUERY_TOO_COSTLY");
    expect(result.errors![0]!.message).toContain("SSHUB_MAX_QUERY_COST");
    const small = await gql.run(costly, { n: 1 });
    expect(small.errors).toBeUndefined();
  });

  it("works out the limits of a query it has seen again for each request's variables: a bigger page or a NUL string the second time is refused", async () => {
    const costly = `query ($n: Int, $search: String) { partnerships(first: 100, search: $search) { edges { node { services(first: $n) { edges { node {
      partnerCouncils { services(first: $n) { edges { node { name } } } } } } } } } } }`;
    const small = await gql.run(costly, { n: 1, search: "a" });
    expect(small.errors).toBeUndefined();
    const big = await gql.run(costly, { n: 100, search: "a" });
    expect(big.errors![0]!.extensions!.code).toBe("QUERY_TOO_COSTLY");
    const nul = await gql.run(costly, { n: 1, search: "a\u0000" });
    expect(nul.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(nul.errors![0]!.message).toContain('"search" of "partnerships"');
  });

  it("reads both limits from the environment and refuses nonsense values", () => {
    expect(queryLimitsFromEnv({})).toEqual(DEFAULT_QUERY_LIMITS);
    expect(
      queryLimitsFromEnv({
        SSHUB_MAX_QUERY_DEPTH: "4",
        SSHUB_MAX_QUERY_COST: "50",
      }),
    ).toEqual({ maxDepth: 4, maxCost: 50, maxStringLength: 1000 });
    expect(() => queryLimitsFromEnv({ SSHUB_MAX_QUERY_COST: "lots" })).toThrow(
      /SSHUB_MAX_QUERY_COST/,
    );
  });

  it("applies configured limits", async () => {
    const strict = createApollo({
      schema: await buildHubSchema(),
      production: false,
      log: () => undefined,
      limits: { maxDepth: 2, maxCost: 1000, maxStringLength: 1000 },
    });
    const { createContext } = await import("../../server/context.js");
    const response = await strict.executeOperation(
      { query: `{ partnerships { edges { node { name } } } }` },
      {
        contextValue: await createContext(
          db.orm.em,
          anonymousDevelopmentViewer,
          "limits",
        ),
      },
    );
    expect(
      response.body.kind === "single" &&
        response.body.singleResult.errors?.[0]?.extensions?.code,
    ).toBe("QUERY_TOO_DEEP");
  });

  it("does not count introspection against the limits", async () => {
    const result = await gql.run(
      `{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name ofType { name } } } } } } } } }`,
    );
    expect(result.errors).toBeUndefined();
  });
});

describe("production", () => {
  it("masks internal errors as 'Internal server error' with a request id that the log line carries", async () => {
    const production = await createTestGraphql(db.orm, { production: true });
    const connection = db.orm.em.getConnection();
    await connection.execute(
      "alter table funding_award rename to funding_award_away",
    );
    try {
      const result = await production.run(`{ fundingAwards { totalCount } }`);
      const error = result.errors![0]!;
      expect(error.message).toBe("Internal server error");
      expect(error.extensions!.code).toBe("INTERNAL_SERVER_ERROR");
      const requestId = error.extensions!.requestId as string;
      expect(requestId).toMatch(/^test-\d+$/);
      expect(JSON.stringify(result)).not.toContain("funding_award");
      const line = production.logs.find((l) => l.includes(requestId));
      expect(line).toContain("funding_award");
      const development = await gql.run(`{ fundingAwards { totalCount } }`);
      expect(development.errors![0]!.message).toContain("funding_award");
    } finally {
      await connection.execute(
        "alter table funding_award_away rename to funding_award",
      );
    }
  });

  it("keeps client errors readable in production", async () => {
    const production = await createTestGraphql(db.orm, { production: true });
    const result = await production.run(
      `{ council(code: "E99999999") { gssCode } }`,
    );
    expect(result.errors![0]!.extensions!.code).toBe("NOT_FOUND");
    expect(result.errors![0]!.message).toContain("E99999999");
  });
});

describe("over HTTP", () => {
  const serve = (production: boolean, orm = db.orm) =>
    startTestHttp(orm, { production });
  const introspect = (base: string) =>
    fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __schema { queryType { name } } }" }),
    });

  it("turns introspection off in production", async () => {
    const hub = await serve(true);
    try {
      const response = await introspect(hub.base);
      const body = (await response.json()) as { errors: { message: string }[] };
      expect(body.errors[0]!.message).toMatch(/introspection/i);
      const answer = await fetch(`${hub.base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: '{ council(code: "E07000034") { shortName } }',
        }),
      });
      expect(await answer.json()).toEqual({
        data: { council: { shortName: "Chesterfield" } },
      });
    } finally {
      await hub.close();
    }
  });

  it("serves introspection in development", async () => {
    const hub = await serve(false);
    try {
      const body = (await (await introspect(hub.base)).json()) as {
        data: unknown;
      };
      expect(body.data).toEqual({ __schema: { queryType: { name: "Query" } } });
    } finally {
      await hub.close();
    }
  });

  it("answers a refused query with HTTP 400 and its code", async () => {
    const hub = await serve(true);
    try {
      const response = await fetch(`${hub.base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `{ partnerships(first: 100) { edges { node { services(first: 100) { edges { node {
            partnerCouncils { hostedServices(first: 100) { edges { node { name } } } } } } } } } } }`,
        }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as {
        errors: { extensions: { code: string } }[];
      };
      expect(body.errors[0]!.extensions.code).toBe("QUERY_TOO_COSTLY");
    } finally {
      await hub.close();
    }
  });
});

import { startTestHttp } from "../../support/http.js";
import { openTestQueue, waitForJob } from "../../support/import-jobs.js";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../../../schema/global-id.js";
import { ImportRun, ImportStatus } from "../../../schema/import-run.js";
import { Role } from "../../../schema/role.js";
import { SavingsMeasure } from "../../../schema/savings-measure.js";
import { saveImportProfile } from "../../../importers/import-profile-store.js";
import { workbookShape } from "../../../importers/workbook-shape.js";
import { authenticateRequest } from "../../../server/auth/authenticate-request.js";
import { RateLimiter } from "../../../server/auth/rate-limiter.js";
import {
  createToken,
  revokeToken,
} from "../../../server/auth/token-service.js";
import { operatorCaller } from "../../../server/caller.js";
import { callerWith } from "../../support/callers.js";
import { createTestGraphql, type TestGraphql } from "../../support/graphql.js";
import { useTestDatabase } from "../../support/test-database.js";
import { seedHub, type SeededHub } from "../seed-hub.js";

// Chesterfield (E07000034) belongs to the Derbyshire partnership only; Cheshire's figures are the
// ones it must never read, by any path.
const CHESTERFIELD = "E07000034";
const viewerA = callerWith(Role.VIEWER, [CHESTERFIELD]);
const financeA = callerWith(Role.FINANCE, [CHESTERFIELD]);
const nationalViewer = callerWith(Role.VIEWER);
const admin = callerWith(Role.ADMIN);

const db = useTestDatabase();
let gql: TestGraphql;
let hub: SeededHub;
let cheshireRun: ImportRun;
let cheshireFigureId: number;

beforeAll(async () => {
  const em = db.orm.em.fork();
  hub = await seedHub(em);
  // Give Cheshire's records their own import run, so Derbyshire's run touches Derbyshire only.
  cheshireRun = em.create(ImportRun, {
    fileName: "cheshire-tracker.xlsx",
    sha256: "cd".repeat(32),
    kind: "savings",
    reportingPeriod: "2015-03",
    status: ImportStatus.IMPORTED,
    rowCounts: {},
    problems: [],
    startedAt: new Date("2015-04-03T09:00:00Z"),
    runBy: "test",
  });
  await em.flush();
  const connection = em.getConnection();
  const services = `(select id from service where partnership_id = ${hub.cheshire.id})`;
  await connection.execute(
    `update savings_figure set import_run_id = ${cheshireRun.id} where service_id in ${services}`,
  );
  for (const table of [
    "service",
    "membership",
    "governance_body",
    "funding_award",
  ]) {
    await connection.execute(
      `update ${table} set import_run_id = ${cheshireRun.id} where partnership_id = ${hub.cheshire.id}`,
    );
    await connection.execute(
      `update ${table} set import_run_id = null where partnership_id = ${hub.derbyshire.id}`,
    );
  }
  await connection.execute(`update partnership set import_run_id = null`);
  const [figure] = await connection.execute<{ id: number }[]>(
    `select id from savings_figure where service_id in ${services} limit 1`,
  );
  cheshireFigureId = figure!.id;
  gql = await createTestGraphql(db.orm);
});

const code = (result: {
  errors?: readonly { extensions?: Record<string, unknown> }[];
}) => result.errors?.[0]?.extensions?.code;

describe("a token bound to a council", () => {
  it("sees the root savings list and its totalCount only for its partnerships", async () => {
    const query = `{ savings(first: 100) { totalCount edges { node { service { name partnership { name } } } } } }`;
    type Data = {
      savings: {
        totalCount: number;
        edges: {
          node: { service: { name: string; partnership: { name: string } } };
        }[];
      };
    };
    const scoped = await gql.run<Data>(query, undefined, viewerA);
    const national = await gql.run<Data>(query, undefined, nationalViewer);
    expect(scoped.errors).toBeUndefined();
    const partnerships = new Set(
      scoped.data!.savings.edges.map((e) => e.node.service.partnership.name),
    );
    expect([...partnerships]).toEqual([hub.derbyshire.name]);
    expect(scoped.data!.savings.totalCount).toBe(
      scoped.data!.savings.edges.length,
    );
    expect(
      national.data!.savings.edges.some(
        (e) => e.node.service.name === "Building Control",
      ),
    ).toBe(true);
    expect(scoped.data!.savings.totalCount).toBeLessThan(
      national.data!.savings.totalCount,
    );
  });

  it("is FORBIDDEN to ask for another partnership's or service's savings, and for ids that do not exist", async () => {
    const query = `query ($p: ID, $s: ID) { savings(partnership: $p, service: $s) { totalCount } }`;
    for (const variables of [
      { p: toGlobalId("Partnership", hub.cheshire.id) },
      { p: toGlobalId("Partnership", 999_999) },
      { s: toGlobalId("Service", hub.buildingControl.id) },
      { s: toGlobalId("Service", 999_999) },
    ]) {
      const result = await gql.run(query, variables, viewerA);
      expect(code(result), JSON.stringify(variables)).toBe("FORBIDDEN");
      expect(result.data).toBeNull();
    }
    const own = await gql.run(
      query,
      { p: toGlobalId("Partnership", hub.derbyshire.id) },
      viewerA,
    );
    expect(own.errors).toBeUndefined();
  });

  it("reads another partnership's structure in full but none of its figures through nested links", async () => {
    const query = `query ($p: ID!, $s: ID!) {
      partnership(id: $p) { name services { totalCount } savings { totalCount edges { cursor } } savingsSummary { financialYear } }
      council(code: "E06000049") { officialName savings { totalCount } }
      service(id: $s) { name savings { totalCount } }
    }`;
    const result = await gql.run<{
      partnership: {
        name: string;
        services: { totalCount: number };
        savings: { totalCount: number; edges: unknown[] };
        savingsSummary: unknown[];
      };
      council: { officialName: string; savings: { totalCount: number } };
      service: { name: string; savings: { totalCount: number } };
    }>(
      query,
      {
        p: toGlobalId("Partnership", hub.cheshire.id),
        s: toGlobalId("Service", hub.buildingControl.id),
      },
      viewerA,
    );
    expect(result.errors).toBeUndefined();
    const data = result.data!;
    expect(data.partnership.name).toBe(hub.cheshire.name);
    expect(data.partnership.services.totalCount).toBe(1);
    expect(data.partnership.savings).toEqual({ totalCount: 0, edges: [] });
    expect(data.partnership.savingsSummary).toEqual([]);
    expect(data.council.savings.totalCount).toBe(0);
    expect(data.service).toMatchObject({
      name: "Building Control",
      savings: { totalCount: 0 },
    });
  });

  it("gets FORBIDDEN from node(id:) for another partnership's figure and for a made-up one alike", async () => {
    const query = `query ($id: ID!) { node(id: $id) { id } }`;
    for (const id of [
      toGlobalId("SavingsFigure", cheshireFigureId),
      toGlobalId("SavingsFigure", 999_999),
      toGlobalId("ImportRun", cheshireRun.id),
      toGlobalId("ImportRun", 999_999),
    ]) {
      const result = await gql.run(query, { id }, viewerA);
      expect(code(result), id).toBe("FORBIDDEN");
    }
    const own = await gql.run(
      query,
      { id: toGlobalId("SavingsFigure", hub.revenuesTotal.id) },
      viewerA,
    );
    expect(own.errors).toBeUndefined();
    const national = await gql.run(
      query,
      { id: toGlobalId("SavingsFigure", cheshireFigureId) },
      nationalViewer,
    );
    expect(national.errors).toBeUndefined();
  });

  it("sums the national savings summary over its partnerships only", async () => {
    const query = `{ savingsSummary(financialYear: "2014/15") { measures { measure total { amount } byCouncil { council { gssCode } } } } }`;
    type Data = {
      savingsSummary: {
        measures: {
          measure: string;
          total: { amount: string };
          byCouncil: { council: { gssCode: string } }[];
        }[];
      }[];
    };
    const scoped = await gql.run<Data>(query, undefined, viewerA);
    const national = await gql.run<Data>(query, undefined, nationalViewer);
    expect(scoped.errors).toBeUndefined();
    const councils = (data: Data) =>
      data.savingsSummary.flatMap((y) =>
        y.measures.flatMap((m) => m.byCouncil.map((c) => c.council.gssCode)),
      );
    expect(councils(national.data!)).toContain("E06000049");
    expect(councils(scoped.data!)).not.toContain("E06000049");
    const achieved = (data: Data) =>
      data.savingsSummary[0]!.measures.find((m) => m.measure === "ACHIEVED")!
        .total.amount;
    expect(Number(achieved(scoped.data!))).toBeLessThan(
      Number(achieved(national.data!)),
    );
  });

  it("sees only import runs that wrote nothing but its partnerships' records, by list, by id and by link", async () => {
    type Data = {
      imports: { totalCount: number; edges: { node: { fileName: string } }[] };
    };
    const list = await gql.run<Data>(
      `{ imports { totalCount edges { node { fileName } } } }`,
      undefined,
      viewerA,
    );
    expect(list.errors).toBeUndefined();
    expect(list.data!.imports.edges.map((e) => e.node.fileName)).toEqual([
      "derbyshire-tracker-2015-03.xlsx",
    ]);
    expect(list.data!.imports.totalCount).toBe(1);
    const byId = await gql.run(
      `query ($id: ID!) { import(id: $id) { fileName } }`,
      { id: toGlobalId("ImportRun", cheshireRun.id) },
      viewerA,
    );
    expect(code(byId)).toBe("FORBIDDEN");
    const link = await gql.run<{
      node: { importRun: { fileName: string } | null };
    }>(
      `query ($id: ID!) { node(id: $id) { ... on SavingsFigure { importRun { fileName } } } }`,
      { id: toGlobalId("SavingsFigure", hub.revenuesTotal.id) },
      viewerA,
    );
    expect(link.data!.node.importRun?.fileName).toBe(
      "derbyshire-tracker-2015-03.xlsx",
    );
    const structureLink = await gql.run<{
      service: { importRun: { fileName: string } | null };
    }>(
      `query ($id: ID!) { service(id: $id) { importRun { fileName } } }`,
      { id: toGlobalId("Service", hub.buildingControl.id) },
      viewerA,
    );
    expect(structureLink.data!.service.importRun).toBeNull();
  });

  it("sees only the import profiles whose import run it may see", async () => {
    const em = db.orm.em.fork();
    const [derbyshireRun] = await em
      .getConnection()
      .execute<{ id: number }[]>(
        `select id from import_run where file_name = 'derbyshire-tracker-2015-03.xlsx'`,
      );
    for (const [key, runId, partnership] of [
      ["a", derbyshireRun!.id, hub.derbyshire.name],
      ["b", cheshireRun.id, hub.cheshire.name],
    ] as const)
      await saveImportProfile(em, {
        shape: workbookShape([{ name: `tracker ${key}`, header: ["service"] }]),
        answers: { partnership, measure: SavingsMeasure.FORECAST },
        importRunId: runId,
        fileName: `${key}.xlsx`,
        reportingPeriod: "2015-03",
      });
    const query = `{ importProfiles { fileName sheetNames layout answers importRun { fileName } } }`;
    type Data = {
      importProfiles: {
        fileName: string;
        sheetNames: string[];
        layout: string;
        answers: Record<string, unknown>;
        importRun: { fileName: string } | null;
      }[];
    };
    const scoped = await gql.run<Data>(query, undefined, viewerA);
    expect(scoped.errors).toBeUndefined();
    expect(scoped.data!.importProfiles).toEqual([
      {
        fileName: "a.xlsx",
        sheetNames: ["tracker a"],
        layout: "tracker a: service",
        answers: { partnership: hub.derbyshire.name, measure: "FORECAST" },
        importRun: { fileName: "derbyshire-tracker-2015-03.xlsx" },
      },
    ]);
    const national = await gql.run<Data>(query, undefined, nationalViewer);
    expect(national.data!.importProfiles.map((p) => p.fileName)).toEqual([
      "a.xlsx",
      "b.xlsx",
    ]);
  });
});

describe("roles", () => {
  const reconcile = `query ($p: ID!) { reconciliation(partnership: $p, financialYear: "2014/15") { lines { status } } }`;

  it("reconciliation needs the finance role, and a bound token reconciles only its partnerships", async () => {
    expect(
      code(
        await gql.run(
          reconcile,
          { p: toGlobalId("Partnership", hub.derbyshire.id) },
          viewerA,
        ),
      ),
    ).toBe("FORBIDDEN");
    expect(
      code(
        await gql.run(
          reconcile,
          { p: toGlobalId("Partnership", hub.derbyshire.id) },
          nationalViewer,
        ),
      ),
    ).toBe("FORBIDDEN");
    expect(
      (
        await gql.run(
          reconcile,
          { p: toGlobalId("Partnership", hub.derbyshire.id) },
          financeA,
        )
      ).errors,
    ).toBeUndefined();
    for (const p of [
      toGlobalId("Partnership", hub.cheshire.id),
      hub.cheshire.name,
      "No Such Partnership",
    ]) {
      expect(code(await gql.run(reconcile, { p }, financeA)), p).toBe(
        "FORBIDDEN",
      );
    }
    expect(
      (
        await gql.run(
          reconcile,
          { p: hub.cheshire.name },
          callerWith(Role.FINANCE),
        )
      ).errors,
    ).toBeUndefined();
  });

  it("a council's savings position leaves out partnerships outside the token's scope", async () => {
    const query = `{ council(code: "E06000049") { savingsPosition(financialYear: "2014/15") { lines { status } } } }`;
    const scoped = await gql.run<{
      council: { savingsPosition: { lines: unknown[] } };
    }>(query, undefined, financeA);
    expect(scoped.errors).toBeUndefined();
    expect(scoped.data!.council.savingsPosition.lines).toEqual([]);
    const national = await gql.run<{
      council: { savingsPosition: { lines: { status: string }[] } };
    }>(query, undefined, callerWith(Role.FINANCE));
    // Cheshire's Building Control reports Cheshire East's share but no total, and no claim of its own.
    expect(national.data!.council.savingsPosition.lines).toEqual([
      { status: "MISSING_CLAIM" },
    ]);
    expect(code(await gql.run(query, undefined, nationalViewer))).toBe(
      "FORBIDDEN",
    );
  });

  it("only admins read the audit log and the token list", async () => {
    const query = `{ auditEvents { totalCount } apiTokens { name } }`;
    for (const caller of [
      nationalViewer,
      callerWith(Role.ANALYST),
      callerWith(Role.FINANCE),
    ]) {
      const result = await gql.run(query, undefined, caller);
      expect(code(result), caller.role).toBe("FORBIDDEN");
      expect(result.data).toBeNull();
    }
    expect((await gql.run(query, undefined, admin)).errors).toBeUndefined();
  });
});

describe("over HTTP, with real tokens", () => {
  let base: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    const em = db.orm.em.fork();
    const make = async (name: string, role: Role, councils: string[] = []) =>
      (tokens[name] = (
        await createToken(em, {
          name,
          role,
          councils,
          createdBy: operatorCaller(),
        })
      ).token);
    await make("viewer", Role.VIEWER);
    await make("finance-a", Role.FINANCE, [CHESTERFIELD]);
    await make("analyst", Role.ANALYST);
    await make("analyst-a", Role.ANALYST, [CHESTERFIELD]);
    await make("revoked", Role.ADMIN);
    await make("limited", Role.VIEWER);
    await revokeToken(em, "revoked", operatorCaller());
    const limiter = RateLimiter.inDatabase(db.orm, 3);
    const queue = await openTestQueue(db.orm);
    const http = await startTestHttp(db.orm, {
      importQueue: queue,
      production: true,
      callerFor: (req) =>
        authenticateRequest(db.orm.em.fork(), req.headers, true),
      // Only the "limited" token is throttled here, so the other tests are not.
      rateLimiter: {
        perMinute: 3,
        take: async (key: string) =>
          key === "token:limited" ? limiter.take(key) : 0,
      } as RateLimiter,
    });
    base = http.base;
    return async () => {
      await http.close();
      await queue.stop();
    };
  });

  /** The audit log's events of one action by one actor (each test makes its own). */
  const auditedBy = async (action: string, actor: string) => {
    const audit = await gql.run<{
      auditEvents: {
        edges: {
          node: { actor: string; action: string; details: { via: string } };
        }[];
      };
    }>(
      `{ auditEvents(first: 100) { edges { node { actor action details } } } }`,
      undefined,
      admin,
    );
    expect(audit.errors).toBeUndefined();
    return audit
      .data!.auditEvents.edges.map((e) => e.node)
      .filter((e) => e.action === action && e.actor === actor)
      .map((e) => ({ actor: e.actor, action: e.action, via: e.details.via }));
  };

  const graphql = (token: string | undefined, query: string) =>
    fetch(`${base}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query }),
    });

  it("answers only /healthz without a token in production, and 401 for a missing, revoked or forged token", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    for (const token of [
      undefined,
      tokens.revoked,
      "sshub_1_" + "x".repeat(43),
      "not-a-token",
    ]) {
      const response = await graphql(token, "{ councils { totalCount } }");
      expect(response.status, String(token)).toBe(401);
      const body = (await response.json()) as {
        errors: { extensions: { code: string } }[];
      };
      expect(body.errors[0]!.extensions.code).toBe("UNAUTHENTICATED");
    }
    expect(
      (await graphql(tokens.viewer, "{ councils { totalCount } }")).status,
    ).toBe(200);
  });

  it("limits requests per token and says when to retry", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await graphql(tokens.limited, "{ councils { totalCount } }")).status,
      );
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await graphql(
      tokens.limited,
      "{ councils { totalCount } }",
    );
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("exports only with the finance role, and only the token's own partnerships", async () => {
    const exportAs = (token: string, partnership: string) =>
      fetch(
        `${base}/exports/reconciliation.xlsx?partnership=${encodeURIComponent(partnership)}&year=2014/15`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
    expect((await exportAs(tokens.viewer!, hub.derbyshire.name)).status).toBe(
      403,
    );
    for (const other of [hub.cheshire.name, "No Such Partnership"]) {
      const refused = await exportAs(tokens["finance-a"]!, other);
      expect(refused.status, other).toBe(403);
      expect(await refused.json()).toMatchObject({
        errors: [{ extensions: { code: "FORBIDDEN" } }],
      });
    }
    const ok = await exportAs(tokens["finance-a"]!, hub.derbyshire.name);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("spreadsheetml");
    expect(await auditedBy("EXPORT", "finance-a")).toEqual([
      { actor: "finance-a", action: "EXPORT", via: "http" },
    ]);
  });

  it("imports a workbook uploaded by a national analyst through the same pipeline and report, and audits it", async () => {
    const workbook = readFileSync(
      new URL(
        "../../../fixtures/samples/02-derbyshire-rce-workstreams.xlsx",
        import.meta.url,
      ),
    );
    const upload = (token: string, dryRun = "true") => {
      const form = new FormData();
      form.set("file", new Blob([workbook]), "derbyshire.xlsx");
      form.set("dryRun", dryRun);
      return fetch(`${base}/imports`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
    };
    expect((await upload(tokens.viewer!)).status).toBe(403);
    expect((await upload(tokens["analyst-a"]!)).status).toBe(403);
    const response = await upload(tokens.analyst!, "false");
    expect(response.status).toBe(202);
    const job = await waitForJob(base, response.headers.get("location")!, {
      authorization: `Bearer ${tokens.analyst!}`,
    });
    const report = job.report!;
    expect(job.state, JSON.stringify(job).slice(0, 500)).toBe("IMPORTED");
    expect(report).toMatchObject({
      status: "IMPORTED",
      file: "derbyshire.xlsx",
    });
    // The services workbook's three sheets: Workstreams, Governance, Funding.
    expect(report.sheets).toHaveLength(3);
    const run = await db.orm.em
      .fork()
      .findOneOrFail(ImportRun, { id: report.importRunId });
    expect(run.runBy).toBe("analyst");
    expect(await auditedBy("IMPORT", "analyst")).toEqual([
      { actor: "analyst", action: "IMPORT", via: "http" },
    ]);
  });
});

import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiToken } from "../../../schema/api-token.js";
import { AuditEvent } from "../../../schema/audit-event.js";
import { Council } from "../../../schema/council.js";
import { Membership, MembershipRole } from "../../../schema/membership.js";
import { Partnership, PartnershipStatus } from "../../../schema/partnership.js";
import { Role } from "../../../schema/role.js";
import { SavingsFigure } from "../../../schema/savings-figure.js";
import { SavingsMeasure } from "../../../schema/savings-measure.js";
import { Service } from "../../../schema/service.js";
import {
  createToken,
  revokeToken,
} from "../../../server/auth/token-service.js";
import { operatorCaller } from "../../../server/caller.js";
import { startHub, type RunningHub } from "../../../server/start-hub.js";
import { useTestDatabase } from "../../support/test-database.js";

// A query from a token this process confirmed lately runs while the token's row is read again; these
// tests change the row between two requests and look at what the second one is answered.

const db = useTestDatabase();
let hub: RunningHub;
/** What the hub logged about failures. */
const failures: string[] = [];

beforeAll(async () => {
  hub = await startHub({
    orm: db.orm,
    port: 0,
    host: "127.0.0.1",
    production: true,
    log: (line) => failures.push(line),
  });
});
afterAll(async () => {
  await hub?.stop();
});

async function token(name: string, role = Role.VIEWER): Promise<string> {
  return (
    await createToken(db.orm.em.fork(), {
      name,
      role,
      councils: [],
      createdBy: operatorCaller(),
    })
  ).token;
}

/** Sends `query` with `token`; the status and the parsed body. */
async function ask(
  bearer: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(hub.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${bearer}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
  };
}

const COUNCILS = "{ councils(first: 1) { totalCount edges { node { id } } } }";
const VIEWER = "{ viewer { name role councilGssCodes } }";

/**
 * Runs `during` while another connection holds api_token locked, so that no token check can read
 * its row until `during` has returned: what the hub does before its check ends shows.
 */
async function whileTokensLocked(during: () => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query("begin");
    await client.query("lock table api_token in access exclusive mode");
    await during();
  } finally {
    await client.query("rollback");
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Confirms `bearer` in this hub (twice: the second runs with its check in parallel). */
async function confirm(bearer: string): Promise<void> {
  for (let i = 0; i < 2; i++)
    expect((await ask(bearer, COUNCILS)).status).toBe(200);
}

describe("a query checked in parallel with its token", () => {
  it("refuses a token revoked between two requests, sending nothing of the answer, and writes no audit row", async () => {
    const bearer = await token("parallel revoked");
    await confirm(bearer);
    await revokeToken(db.orm.em.fork(), "parallel revoked", operatorCaller());
    const audits = await db.orm.em.fork().count(AuditEvent);
    const refused = await ask(bearer, COUNCILS);
    expect(refused.status).toBe(401);
    expect(refused.body).not.toHaveProperty("data");
    expect(JSON.stringify(refused.body)).toContain(
      'The token \\"parallel revoked\\" was revoked.',
    );
    expect(JSON.stringify(refused.body)).not.toContain("totalCount");
    expect(await db.orm.em.fork().count(AuditEvent)).toBe(audits);
    // And stays refused.
    expect((await ask(bearer, COUNCILS)).status).toBe(401);
  });

  it("sends no answer until its token's row has been read", async () => {
    const bearer = await token("parallel waiting");
    await confirm(bearer);
    let answered = false;
    let answer: ReturnType<typeof ask> | undefined;
    await whileTokensLocked(async () => {
      answer = ask(bearer, COUNCILS).finally(() => (answered = true));
      await sleep(500);
      expect(answered).toBe(false);
    });
    expect((await answer!).status).toBe(200);
  });

  it("logs no failure when its client goes away while its token is checked", async () => {
    const bearer = await token("parallel gone");
    await confirm(bearer);
    const logged = failures.length;
    await whileTokensLocked(async () => {
      const gone = new AbortController();
      const answer = fetch(hub.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${bearer}`,
        },
        body: JSON.stringify({ query: COUNCILS }),
        signal: gone.signal,
      });
      await sleep(300);
      gone.abort();
      await expect(answer).rejects.toThrow();
      // The check's statement, waiting for the lock, is stopped with the request.
      await sleep(300);
    });
    await sleep(300);
    expect(failures.slice(logged)).toEqual([]);
    expect((await ask(bearer, COUNCILS)).status).toBe(200);
  });

  it("refuses a token whose expiry was moved into the past by hand on the very next request", async () => {
    const bearer = await token("parallel expired");
    await confirm(bearer);
    await db.orm.em
      .fork()
      .nativeUpdate(
        ApiToken,
        { name: "parallel expired" },
        { expiresAt: new Date(Date.now() - 60_000) },
      );
    const refused = await ask(bearer, VIEWER);
    expect(refused.status).toBe(401);
    expect(refused.body).not.toHaveProperty("data");
    expect(JSON.stringify(refused.body)).toMatch(
      /The token \\"parallel expired\\" expired on/,
    );
  });

  it("answers as the new role and councils once a confirmed token's row changed", async () => {
    const bearer = await token("parallel promoted", Role.ANALYST);
    await confirm(bearer);
    expect((await ask(bearer, VIEWER)).body).toEqual({
      data: {
        viewer: {
          name: "parallel promoted",
          role: "ANALYST",
          councilGssCodes: null,
        },
      },
    });
    await db.orm.em
      .fork()
      .nativeUpdate(
        ApiToken,
        { name: "parallel promoted" },
        { role: Role.VIEWER, councilGssCodes: ["E07000034"] },
      );
    expect((await ask(bearer, VIEWER)).body).toEqual({
      data: {
        viewer: {
          name: "parallel promoted",
          role: "VIEWER",
          councilGssCodes: ["E07000034"],
        },
      },
    });
  });
});

describe("a query whose first statement reads its token's row too", () => {
  // Chesterfield is a member of one partnership, whose one service it hosts, with two figures;
  // Bolsover is a member of none.
  const CHESTERFIELD = "E07000034";
  const BOLSOVER = "E07000033";
  const SAVINGS = `query ($code: String!) { council(code: $code) { gssCode
    savings(first: 10) { edges { node { financialYear amount { amount } } } } } }`;
  const PAGE = `query ($code: String!) { council(code: $code) { gssCode
    memberships(first: 5) { totalCount edges { node { partnership { name } } } } } }`;
  beforeAll(async () => {
    const em = db.orm.em.fork();
    const council = await em.findOneOrFail(Council, { gssCode: CHESTERFIELD });
    const partnership = em.create(Partnership, {
      name: "Folded check audit",
      alternativeNames: [],
      status: PartnershipStatus.ACTIVE,
    });
    em.create(Membership, {
      partnership,
      council,
      role: MembershipRole.HOST,
    });
    const service = em.create(Service, {
      partnership,
      name: "Internal audit",
      hostCouncil: council,
    });
    for (const [financialYear, amount] of [
      [2014, "1234.56"],
      [2015, "0.01"],
    ] as const)
      em.create(SavingsFigure, {
        service,
        council,
        financialYear,
        measure: SavingsMeasure.ACHIEVED,
        cashable: true,
        amount,
        reportingPeriod: "2016-03",
      });
    await em.flush();
  });

  /** The statements that read the token's row: its own, or the query's that carries it. */
  const tokenReads = (statements: string[]) =>
    statements.filter((sql) => sql.includes("from api_token"));
  const statementsOf = async (
    bearer: string,
    query: string,
  ): Promise<{ body: Record<string, unknown>; statements: string[] }> => {
    db.resetQueryLog();
    const { status, body } = await ask(bearer, query, { code: CHESTERFIELD });
    expect(status).toBe(200);
    return { body, statements: [...db.queries] };
  };

  it("answers a council's savings page in one statement, the same answer as with the token read alone", async () => {
    const bearer = await token("folded savings", Role.FINANCE);
    // The first request checks the token alone (not confirmed here yet): its answer is the reference.
    const first = await statementsOf(bearer, SAVINGS);
    expect(tokenReads(first.statements)).toHaveLength(1);
    expect(tokenReads(first.statements)[0]).not.toContain("from council");
    expect(first.body).toEqual({
      data: {
        council: {
          gssCode: CHESTERFIELD,
          savings: {
            edges: [
              {
                node: {
                  financialYear: "2014/15",
                  amount: { amount: "1234.56" },
                },
              },
              {
                node: { financialYear: "2015/16", amount: { amount: "0.01" } },
              },
            ],
          },
        },
      },
    });
    const folded = await statementsOf(bearer, SAVINGS);
    expect(tokenReads(folded.statements)).toHaveLength(1);
    expect(tokenReads(folded.statements)[0]).toContain("_council");
    // The rate limit's count (beside the query, as before) and the council's statement.
    expect(folded.statements).toHaveLength(2);
    expect(folded.body).toEqual(first.body);
    const page = await statementsOf(bearer, PAGE);
    expect(tokenReads(page.statements)).toHaveLength(1);
    expect(tokenReads(page.statements)[0]).toContain("membership");
    expect(page.body).toEqual({
      data: {
        council: {
          gssCode: CHESTERFIELD,
          memberships: {
            totalCount: 1,
            edges: [{ node: { partnership: { name: "Folded check audit" } } }],
          },
        },
      },
    });
  });

  it("refuses a token revoked between two requests when the query's statement reads its row", async () => {
    const bearer = await token("folded revoked", Role.FINANCE);
    await confirm(bearer);
    await statementsOf(bearer, PAGE);
    await revokeToken(db.orm.em.fork(), "folded revoked", operatorCaller());
    db.resetQueryLog();
    const refused = await ask(bearer, PAGE, { code: CHESTERFIELD });
    expect(refused.status).toBe(401);
    expect(refused.body).not.toHaveProperty("data");
    expect(JSON.stringify(refused.body)).toContain(
      'The token \\"folded revoked\\" was revoked.',
    );
    expect(JSON.stringify(refused.body)).not.toContain("Folded check audit");
    // Refused by what the page's own statement read: no statement of the token's own.
    expect(tokenReads(db.queries)).toHaveLength(1);
    expect(tokenReads(db.queries)[0]).toContain("membership");
  });

  it("refuses a token whose expiry was moved into the past by hand, read in the query's statement", async () => {
    const bearer = await token("folded expired", Role.FINANCE);
    await confirm(bearer);
    await db.orm.em
      .fork()
      .nativeUpdate(
        ApiToken,
        { name: "folded expired" },
        { expiresAt: new Date(Date.now() - 60_000) },
      );
    const refused = await ask(bearer, SAVINGS, { code: CHESTERFIELD });
    expect(refused.status).toBe(401);
    expect(refused.body).not.toHaveProperty("data");
    expect(JSON.stringify(refused.body)).toMatch(
      /The token \\"folded expired\\" expired on/,
    );
  });

  it("answers with the new councils' scope once the token's row read in the query's statement changed", async () => {
    const bearer = await token("folded rebound", Role.FINANCE);
    await confirm(bearer);
    const national = await statementsOf(bearer, SAVINGS);
    const edges = (body: Record<string, unknown>) =>
      (body as { data: { council: { savings: { edges: unknown[] } } } }).data
        .council.savings.edges;
    expect(edges(national.body)).toHaveLength(2);
    await db.orm.em
      .fork()
      .nativeUpdate(
        ApiToken,
        { name: "folded rebound" },
        { councilGssCodes: [BOLSOVER] },
      );
    // The query ran first as the national caller; the row its statement read says Bolsover only,
    // whose partnerships hold none of Chesterfield's figures: it is answered as that caller.
    const rebound = await ask(bearer, SAVINGS, { code: CHESTERFIELD });
    expect(rebound.status).toBe(200);
    expect(edges(rebound.body)).toEqual([]);
  });
});

describe("a mutation from a token confirmed lately", () => {
  /** A queued import job of `queuedBy`'s, as POST /imports leaves one (no worker runs here). */
  async function queuedJob(queuedBy: string): Promise<string> {
    const id = randomUUID();
    await db.orm.em.fork().execute(
      `insert into import_job (id, file_name, sha256, size_bytes, options, queued_by, queued_by_role, queued_at)
       values (?, 'tracker.xlsx', ?, 1, '{}', ?, 'ANALYST', now())`,
      [id, "0".repeat(64), queuedBy],
    );
    return id;
  }
  const stateOf = async (id: string) =>
    (
      await db.orm.em
        .fork()
        .execute<{ state: string }[]>(
          "select state from import_job where id = ?",
          [id],
        )
    )[0]!.state;
  const CANCEL = "mutation ($id: ID!) { cancelImportJob(id: $id) { state } }";

  it("does not start before its token's check: a revoked token's cancelImportJob is refused and the job stays queued", async () => {
    const bearer = await token("parallel mutation", Role.ANALYST);
    await confirm(bearer);
    const job = await queuedJob("parallel mutation");
    await revokeToken(db.orm.em.fork(), "parallel mutation", operatorCaller());
    let answer: ReturnType<typeof ask> | undefined;
    await whileTokensLocked(async () => {
      answer = ask(bearer, CANCEL, { id: job });
      // A mutation started before its check would have cancelled the job by now.
      await sleep(500);
      expect(await stateOf(job)).toBe("QUEUED");
    });
    const refused = await answer!;
    expect(refused.status).toBe(401);
    expect(refused.body).not.toHaveProperty("data");
    expect(await stateOf(job)).toBe("QUEUED");
  });

  it("runs as the caller its check confirms", async () => {
    const bearer = await token("parallel mutation kept", Role.ANALYST);
    await confirm(bearer);
    const job = await queuedJob("parallel mutation kept");
    expect((await ask(bearer, CANCEL, { id: job })).body).toEqual({
      data: { cancelImportJob: { state: "CANCELLED" } },
    });
    expect(await stateOf(job)).toBe("CANCELLED");
  });
});

describe("the rate limit of a query checked in parallel", () => {
  let limited: RunningHub;
  beforeAll(async () => {
    const before = process.env.SSHUB_RATE_LIMIT;
    process.env.SSHUB_RATE_LIMIT = "3";
    try {
      limited = await startHub({
        orm: db.orm,
        port: 0,
        host: "127.0.0.1",
        production: true,
        log: () => undefined,
      });
    } finally {
      if (before === undefined) delete process.env.SSHUB_RATE_LIMIT;
      else process.env.SSHUB_RATE_LIMIT = before;
    }
  });
  afterAll(() => limited?.stop());

  const askLimited = async (bearer: string) => {
    const response = await fetch(limited.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${bearer}`,
      },
      body: JSON.stringify({ query: COUNCILS }),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      body: await response.text(),
    };
  };

  it("answers 429 once the allowance is spent, never the answer it ran meanwhile", async () => {
    const bearer = await token("parallel limited");
    for (let i = 0; i < 3; i++)
      expect((await askLimited(bearer)).status).toBe(200);
    const refused = await askLimited(bearer);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.body).not.toContain("totalCount");
  });

  it("answers 401, not 429, to a revoked token over its allowance", async () => {
    const bearer = await token("parallel limited revoked");
    for (let i = 0; i < 3; i++)
      expect((await askLimited(bearer)).status).toBe(200);
    await revokeToken(
      db.orm.em.fork(),
      "parallel limited revoked",
      operatorCaller(),
    );
    expect((await askLimited(bearer)).status).toBe(401);
  });
});

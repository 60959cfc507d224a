import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiToken } from "../../../schema/api-token.js";
import { AuditEvent } from "../../../schema/audit-event.js";
import { Role } from "../../../schema/role.js";
import {
  createToken,
  revokeToken,
} from "../../../server/auth/token-service.js";
import { operatorCaller } from "../../../server/caller.js";
import { startHub, type RunningHub } from "../../../server/start-hub.js";
import {
  createTestDatabase,
  type TestDatabase,
} from "../../support/test-database.js";

// A query from a token this process confirmed lately runs while the token's row is read again; these
// tests change the row between two requests and look at what the second one is answered.

let db: TestDatabase;
let hub: RunningHub;
/** What the hub logged about failures. */
const failures: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
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
  await db.drop();
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

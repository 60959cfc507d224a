import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDatabase } from "../../db/database-url.js";
import {
  acquireEmbeddedDatabase,
  stopEmbeddedDatabase,
} from "../../db/embedded-postgres.js";
import { Role } from "../../schema/role.js";
import { createToken, revokeToken } from "../../server/auth/token-service.js";
import { operatorCaller } from "../../server/caller.js";
import { startHubProcess, type HubProcess } from "../support/hub-process.js";
import {
  createTestDatabase,
  type TestDatabase,
} from "../support/test-database.js";

/** Asks `{ councils { totalCount } }` of `hub` with `token`; resolves to the status. */
async function ask(hub: HubProcess, token: string): Promise<number> {
  const response = await fetch(`${hub.base}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query: "{ councils { totalCount } }" }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe("two hub processes on one database", () => {
  let db: TestDatabase;
  let hubs: HubProcess[];
  const token = async (name: string) =>
    (
      await createToken(db.orm.em.fork(), {
        name,
        role: Role.VIEWER,
        councils: [],
        createdBy: operatorCaller(),
      })
    ).token;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { NODE_ENV: "production", SSHUB_RATE_LIMIT: "10" };
    hubs = await Promise.all([
      startHubProcess(db.url, env),
      startHubProcess(db.url, env),
    ]);
  }, 120_000);
  afterAll(async () => {
    const codes = await Promise.all((hubs ?? []).map((hub) => hub.stop()));
    expect(codes).toEqual([0, 0]);
    await db.drop();
  });

  it("share one rate limit of 10 a minute: the 11th request is refused whichever answers", async () => {
    const shared = await token("shared-limit");
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push(await ask(hubs[i % 2]!, shared));
    expect(statuses).toEqual(Array(10).fill(200));
    expect(await ask(hubs[0]!, shared)).toBe(429);
    expect(await ask(hubs[1]!, shared)).toBe(429);
  });

  it("see a token revoked on one at once on the other", async () => {
    const revoked = await token("revoked-elsewhere");
    expect(await ask(hubs[0]!, revoked)).toBe(200);
    expect(await ask(hubs[1]!, revoked)).toBe(200);
    // Revoked as `sshub token revoke` does, on the database both share.
    await revokeToken(db.orm.em.fork(), "revoked-elsewhere", operatorCaller());
    expect(await ask(hubs[1]!, revoked)).toBe(401);
    expect(await ask(hubs[0]!, revoked)).toBe(401);
  });

  it("log JSON lines with an access line per request, without the token", async () => {
    const logged = await token("logged");
    expect(await ask(hubs[0]!, logged)).toBe(200);
    await sleep(100);
    const lines = hubs[0]!
      .log()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line.token === "logged")).toMatchObject({
      level: "info",
      method: "POST",
      path: "/graphql",
      status: 200,
      requestId: expect.any(String),
      durationMs: expect.any(Number),
    });
    expect(hubs[0]!.log()).not.toContain(logged);
  });
});

describe("/readyz of a hub whose database stops", () => {
  it("answers 503 while its PostgreSQL is stopped, /healthz still 200, and 200 again once it is back", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sshub-readyz-"));
    let hub: HubProcess | undefined;
    try {
      const handle = await acquireEmbeddedDatabase({ dataDir });
      const url = await ensureDatabase(handle.url, "sshub");
      hub = await startHubProcess(url);
      const readyz = async () => (await fetch(`${hub!.base}/readyz`)).status;
      expect(await readyz()).toBe(200);
      await stopEmbeddedDatabase(dataDir);
      expect(await readyz()).toBe(503);
      expect((await fetch(`${hub.base}/healthz`)).status).toBe(200);
      // Started again on the port it had, so the hub's pool reconnects by itself.
      await acquireEmbeddedDatabase({ dataDir });
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = await readyz();
        if (status !== 200) await sleep(200);
      }
      expect(status).toBe(200);
    } finally {
      await hub?.stop();
      await stopEmbeddedDatabase(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

import { mkdtempSync, rmSync } from "node:fs";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDatabase } from "../../db/database-url.js";
import {
  acquireEmbeddedDatabase,
  stopEmbeddedDatabase,
} from "../../db/embedded-postgres.js";
import { ApiToken } from "../../schema/api-token.js";
import { Role } from "../../schema/role.js";
import { createToken, revokeToken } from "../../server/auth/token-service.js";
import { operatorCaller } from "../../server/caller.js";
import { startHubProcess, type HubProcess } from "../support/hub-process.js";
import { useTestDatabase } from "../support/test-database.js";

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
  const db = useTestDatabase();
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
    const env = { NODE_ENV: "production", SSHUB_RATE_LIMIT: "10" };
    hubs = await Promise.all([
      startHubProcess(db.url, env),
      startHubProcess(db.url, env),
    ]);
  }, 120_000);
  afterAll(async () => {
    const codes = await Promise.all((hubs ?? []).map((hub) => hub.stop()));
    expect(codes).toEqual([0, 0]);
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

  it("refuse on the very next request of either a token whose expiry was moved into the past by hand", async () => {
    const expiring = await token("expired-by-hand");
    // Twice each: the second request of a confirmed token runs its query while the row is read.
    for (const hub of [...hubs, ...hubs])
      expect(await ask(hub, expiring)).toBe(200);
    await db.orm.em
      .fork()
      .nativeUpdate(
        ApiToken,
        { name: "expired-by-hand" },
        { expiresAt: new Date(Date.now() - 60_000) },
      );
    expect(await ask(hubs[0]!, expiring)).toBe(401);
    expect(await ask(hubs[1]!, expiring)).toBe(401);
  });

  it("serve /metrics to an admin token in the Prometheus text format, read by a Prometheus parser", async () => {
    const { token: admin } = await createToken(db.orm.em.fork(), {
      name: "metrics admin",
      role: Role.ADMIN,
      councils: [],
      createdBy: operatorCaller(),
    });
    expect(await ask(hubs[1]!, admin)).toBe(200);
    const response = await fetch(`${hubs[1]!.base}/metrics`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.status).toBe(200);
    const families = parsePrometheusTextFormat(await response.text());
    const names = families.map((f) => f.name);
    for (const name of [
      "sshub_http_requests_total",
      "sshub_http_request_duration_seconds",
      "sshub_import_jobs",
      "sshub_import_queue_depth",
      "sshub_import_rows_imported_total",
      "sshub_db_pool_in_use",
      "sshub_db_pool_waiting",
    ])
      expect(names).toContain(name);
    const requests = families.find(
      (f) => f.name === "sshub_http_requests_total",
    )!;
    expect(
      requests.metrics.some(
        (m) =>
          "labels" in m &&
          m.labels?.route === "graphql" &&
          m.labels.status === "200" &&
          Number(m.value) >= 1,
      ),
    ).toBe(true);
    const viewer = await token("not an admin");
    const refused = await fetch(`${hubs[1]!.base}/metrics`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(refused.status).toBe(403);
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

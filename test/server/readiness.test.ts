import { createServer, type Server, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { openOrm } from "../../db/open-orm.js";
import { migrations } from "../../migrations/index.js";
import { Readiness } from "../../server/readiness.js";
import { startTestHttp } from "../support/http.js";
import { useTestDatabase } from "../support/test-database.js";

const db = useTestDatabase();

/**
 * Checks bounded by 2 s instead of READINESS_CHECK_TIMEOUT_MS, for the tests about what is checked:
 * on this loaded machine a cold pool's first connection can take longer than 80 ms.
 */
const patient = () => new Readiness(db.orm, 2_000);

async function ask(
  base: string,
  path: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: await response.json() };
}

describe("/healthz and /readyz", () => {
  it("are 200 with the database up and every migration applied", async () => {
    const hub = await startTestHttp(db.orm, {
      production: true,
      readiness: patient(),
    });
    try {
      expect(await ask(hub.base, "/healthz")).toEqual({
        status: 200,
        body: { status: "ok" },
      });
      expect(await ask(hub.base, "/readyz")).toEqual({
        status: 200,
        body: {
          status: "ready",
          checks: { database: "ok", migrations: "ok" },
        },
      });
    } finally {
      await hub.close();
    }
  });

  it("answers 503 naming the pending migration when the code is newer than the database", async () => {
    const last = migrations.at(-1)!.name;
    const connection = db.orm.em.getConnection();
    const [row] = await connection.execute<{ executed_at: Date }[]>(
      "delete from mikro_orm_migrations where name = ? returning executed_at",
      [last],
    );
    const hub = await startTestHttp(db.orm, { readiness: patient() });
    try {
      const { status, body } = await ask(hub.base, "/readyz");
      expect(status).toBe(503);
      expect(body).toMatchObject({
        status: "unavailable",
        checks: { database: "ok", migrations: expect.stringContaining(last) },
      });
    } finally {
      await hub.close();
      await connection.execute(
        "insert into mikro_orm_migrations (name, executed_at) values (?, ?)",
        [last, row!.executed_at],
      );
    }
  });

  it("answers 503 at once when the database cannot be reached, while /healthz stays 200", async () => {
    // Nothing listens on port 9 (discard) on 127.0.0.1: MikroORM connects lazily, so this opens.
    const orm = await openOrm("postgresql://sshub:none@127.0.0.1:9/sshub");
    const hub = await startTestHttp(orm);
    try {
      const { status, body } = await ask(hub.base, "/readyz");
      expect(status).toBe(503);
      expect(body).toMatchObject({
        status: "unavailable",
        checks: { database: expect.stringMatching(/^unreachable/) },
      });
      expect((await ask(hub.base, "/healthz")).status).toBe(200);
    } finally {
      await hub.close();
      await orm.close();
    }
  });

  it("does not wait for a database that accepts connections but never answers", async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) =>
      silent.listen(0, "127.0.0.1", resolve),
    );
    const port = (silent.address() as { port: number }).port;
    const orm = await openOrm(
      `postgresql://sshub:none@127.0.0.1:${port}/sshub`,
    );
    const hub = await startTestHttp(orm);
    try {
      // Twice: the first check still hangs when the second request comes, and is not started again.
      for (let i = 0; i < 2; i++) {
        const { status, body } = await ask(hub.base, "/readyz");
        expect(status).toBe(503);
        expect(body).toMatchObject({
          checks: { database: expect.stringContaining("no answer within") },
        });
      }
      // One connection attempt per check (database, migrations), not one per request.
      expect(sockets.length).toBeLessThanOrEqual(2);
    } finally {
      for (const socket of sockets) socket.destroy();
      await hub.close();
      await orm.close().catch(() => undefined);
      silent.close();
    }
  });

  it("counts a check slower than its bound as passing while it passed last time, until it has run past the grace", async () => {
    // A bound of 20 ms and a grace of 400 ms, with a check that takes 150 ms and then one that hangs.
    const readiness = new Readiness(db.orm, 20, 400);
    let answer = (): Promise<void> =>
      new Promise((resolve) => setTimeout(resolve, 150));
    readiness.addCheck("slow", () => answer());
    // Never answered yet: slow is not known to be up.
    expect((await readiness.report()).checks.slow).toBe(
      "no answer within 20 ms",
    );
    await readiness.warm();
    // It answered last time: slow now is a loaded machine, not a database that is down.
    expect((await readiness.report()).checks.slow).toBe("ok");
    await readiness.warm();
    answer = () => new Promise<void>(() => undefined);
    expect((await readiness.report()).checks.slow).toBe("ok");
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect((await readiness.report()).checks.slow).toBe(
      "no answer within 20 ms",
    );
    // A check that fails is not covered by the grace: its reason at once.
    const failing = new Readiness(db.orm, 20, 400);
    let fail = false;
    failing.addCheck("flaky", () =>
      fail ? Promise.reject(new Error("down")) : Promise.resolve(),
    );
    await failing.warm();
    fail = true;
    expect((await failing.report()).checks.flaky).toBe("down");
  });

  it("includes the checks added to it, such as the jobs worker's", async () => {
    const readiness = patient();
    let workerRunning = false;
    readiness.addCheck("worker", () => {
      if (!workerRunning) throw new Error("the worker has stopped");
    });
    const hub = await startTestHttp(db.orm, { readiness });
    try {
      expect(await ask(hub.base, "/readyz")).toMatchObject({
        status: 503,
        body: { checks: { worker: "the worker has stopped" } },
      });
      workerRunning = true;
      expect((await ask(hub.base, "/readyz")).status).toBe(200);
    } finally {
      await hub.close();
    }
  });
});

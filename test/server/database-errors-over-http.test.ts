import type { MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import { createServer, connect, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres } from "../../db/connect-postgres.js";
import { openOrm } from "../../db/open-orm.js";
import type { ImportQueue } from "../../jobs/import-queue.js";
import { Role } from "../../schema/role.js";
import { callerWith } from "../support/callers.js";
import { startTestHttp, type TestHttp } from "../support/http.js";
import { openTestQueue } from "../support/import-jobs.js";
import { freePort } from "../support/sshub-process.js";
import { useTestDatabase } from "../support/test-database.js";

// Every HTTP route of the hub, against a real PostgreSQL that is cut off (through a TCP relay the
// test closes: open connections reset, new ones refused, as a stopped server's are) or that holds
// a lock until the hub's statement_timeout cancels the route's statement.

/** A TCP relay to PostgreSQL that the test can cut and mend. */
interface Relay {
  port: number;
  cut(): Promise<void>;
  mend(): Promise<void>;
}

async function relayTo(host: string, port: number): Promise<Relay> {
  const sockets = new Set<Socket>();
  const relayPort = await freePort();
  let server: Server | undefined;
  const mend = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(port, host);
        for (const [from, to] of [
          [client, upstream],
          [upstream, client],
        ] as const) {
          sockets.add(from);
          from.on("error", () => to.destroy());
          from.on("close", () => {
            sockets.delete(from);
            to.destroy();
          });
          from.pipe(to);
        }
      }).listen(relayPort, "127.0.0.1", resolve);
    });
  await mend();
  return {
    port: relayPort,
    mend,
    cut: () =>
      new Promise<void>((resolve) => {
        server!.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

const db = useTestDatabase();
let relay: Relay;
let orm: MikroORM;
let queue: ImportQueue;
let http: TestHttp;

beforeAll(async () => {
  const direct = new URL(db.url);
  relay = await relayTo(direct.hostname, Number(direct.port || 5432));
  const relayed = new URL(db.url);
  relayed.hostname = "127.0.0.1";
  relayed.port = String(relay.port);
  process.env.SSHUB_STATEMENT_TIMEOUT_MS = "300";
  try {
    orm = await openOrm(relayed.toString());
  } finally {
    delete process.env.SSHUB_STATEMENT_TIMEOUT_MS;
  }
  queue = await openTestQueue(orm, { worker: false });
  // A national admin: past every role check, so that each route reaches its first statement.
  http = await startTestHttp(orm, {
    production: true,
    callerFor: async () => callerWith(Role.ADMIN),
    importQueue: queue,
  });
});
afterAll(async () => {
  await http?.close();
  await queue?.stop();
  await orm?.close();
});

interface Refusal {
  status: number;
  retryAfter: string | null;
  code: string | undefined;
  message: string | undefined;
}

async function refusalOf(response: Response): Promise<Refusal> {
  const body = (await response.json()) as {
    errors?: { message: string; extensions: { code: string } }[];
  };
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    code: body.errors?.[0]?.extensions.code,
    message: body.errors?.[0]?.message,
  };
}

/** A request to each route that reads or writes the database, by the route's name. */
function routes(): Record<string, () => Promise<Response>> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(64)]), "tracker.xlsx");
  return {
    "POST /graphql": () =>
      fetch(`${http.base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ councils { totalCount } }" }),
      }),
    // An operation PostgreSQL answers whole (server/sql-answers/): the same refusal.
    "POST /graphql (one statement)": () =>
      fetch(`${http.base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query:
            "{ partnerships(first: 2) { totalCount edges { node { id name } } } }",
        }),
      }),
    "GET /imports/jobs/ID": () =>
      fetch(`${http.base}/imports/jobs/${randomUUID()}`),
    "POST /imports": () =>
      fetch(`${http.base}/imports`, { method: "POST", body: form }),
    "POST /imports/problems-workbook": () =>
      fetch(`${http.base}/imports/problems-workbook?run=1`, {
        method: "POST",
        body: new Uint8Array(64),
      }),
    "GET /exports/reconciliation.xlsx": () =>
      fetch(
        `${http.base}/exports/reconciliation.xlsx?partnership=Internal%20Audit&year=2010/11`,
      ),
  };
}

describe("a database the hub cannot reach", () => {
  it("is answered 503 DATABASE_UNAVAILABLE with Retry-After on every route, not a masked 500", async () => {
    await relay.cut();
    try {
      const answers: Record<string, Refusal> = {};
      for (const [route, send] of Object.entries(routes()))
        answers[route] = await refusalOf(await send());
      const unavailable = {
        status: 503,
        retryAfter: "10",
        code: "DATABASE_UNAVAILABLE",
        message:
          "The hub cannot reach its database just now: try again in 10 s.",
      };
      expect(answers).toEqual({
        // GraphQL answers its own way (a field's error inside a 200), with the same code and words.
        "POST /graphql": { ...unavailable, status: 200, retryAfter: null },
        "POST /graphql (one statement)": {
          ...unavailable,
          status: 200,
          retryAfter: null,
        },
        "GET /imports/jobs/ID": unavailable,
        "POST /imports": unavailable,
        "POST /imports/problems-workbook": unavailable,
        "GET /exports/reconciliation.xlsx": unavailable,
      });
    } finally {
      await relay.mend();
    }
  }, 30_000);
});

describe("a statement cut off at statement_timeout", () => {
  it("is answered 503 TIMED_OUT without Retry-After on every route that runs the hub's statements", async () => {
    const locker = await connectPostgres(db.url);
    try {
      const { rows } = await locker.query<{ name: string }>(
        "select tablename as name from pg_tables where schemaname = 'public'",
      );
      await locker.query("begin");
      await locker.query(
        `lock table ${rows.map((r) => `"${r.name}"`).join(", ")} in access exclusive mode`,
      );
      // Not POST /imports: an upload is written on a connection of its own (ImportQueue.receive),
      // which has no statement_timeout, so it waits for the lock instead.
      const answers: Record<string, Refusal> = {};
      for (const [route, send] of Object.entries(routes()))
        if (route !== "POST /imports")
          answers[route] = await refusalOf(await send());
      const timedOut = {
        status: 503,
        retryAfter: null,
        code: "TIMED_OUT",
        message: expect.stringContaining("SSHUB_STATEMENT_TIMEOUT_MS"),
      };
      expect(answers).toEqual({
        "POST /graphql": { ...timedOut, status: 200 },
        "POST /graphql (one statement)": { ...timedOut, status: 200 },
        "GET /imports/jobs/ID": timedOut,
        "POST /imports/problems-workbook": timedOut,
        "GET /exports/reconciliation.xlsx": timedOut,
      });
    } finally {
      await locker.query("rollback").catch(() => undefined);
      await locker.end();
    }
  }, 30_000);
});

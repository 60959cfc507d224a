import "reflect-metadata";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectPostgres } from "../../db/connect-postgres.js";
import {
  ensureDatabase,
  openDatabase,
  withDatabaseName,
} from "../../db/database-url.js";
import { migrate, openOrm } from "../../db/open-orm.js";
import { Role } from "../../schema/role.js";
import { RateLimiter } from "../../server/auth/rate-limiter.js";
import { createToken } from "../../server/auth/token-service.js";
import { operatorCaller } from "../../server/caller.js";
import { startHub, type RunningHub } from "../../server/start-hub.js";

// `npm run bench:rate-limit [-- --requests 2000 --concurrency 8 --rounds 3]`: what counting each
// request in PostgreSQL (server/auth/rate-limiter.ts) costs. First the limiter's statement alone
// (one key, one after another and `--concurrency` at once), then two hubs in this process on one
// database, one with the limit off and one with it on (a limit no request reaches), each sent
// `--requests` authenticated `{ __typename }` requests (a token check and nothing else) at
// `--concurrency`, in alternation for `--rounds` rounds: requests per second and median latency,
// and the ratio on/off.
const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const REQUESTS = arg("requests", 2_000);
const CONCURRENCY = arg("concurrency", 8);
const ROUNDS = arg("rounds", 3);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Runs `work` `count` times with `concurrency` at once: per-call latencies (ms) and calls per second. */
async function measure(
  count: number,
  concurrency: number,
  work: () => Promise<void>,
): Promise<{ perSecond: number; medianMs: number }> {
  const latencies: number[] = [];
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < count) {
        started++;
        const t = performance.now();
        await work();
        latencies.push(performance.now() - t);
      }
    }),
  );
  return {
    perSecond: (count / (performance.now() - t0)) * 1000,
    medianMs: median(latencies),
  };
}

const dataDir = process.env.DATABASE_URL
  ? undefined
  : mkdtempSync(join(tmpdir(), "sshub-bench-rate-limit-"));
const handle = await openDatabase({
  ...(dataDir ? { dataDir } : {}),
  log: () => undefined,
});
const hubs: RunningHub[] = [];
try {
  const name = "sshub_bench_rate_limit";
  const url = withDatabaseName(handle.url, name);
  const admin = await connectPostgres(withDatabaseName(handle.url, "postgres"));
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
  await ensureDatabase(url, name);
  const orm = await openOrm(url);
  await migrate(orm);
  const { token } = await createToken(orm.em.fork(), {
    name: "bench viewer",
    role: Role.VIEWER,
    councils: [],
    createdBy: operatorCaller(),
  });
  const lines: string[] = [];

  // The statement alone.
  const limiter = RateLimiter.inDatabase(orm, 1_000_000_000);
  for (const concurrency of [1, CONCURRENCY]) {
    const { perSecond, medianMs } = await measure(REQUESTS, concurrency, () =>
      limiter.take("token:bench viewer").then(() => undefined),
    );
    lines.push(
      `| limiter statement alone, ${concurrency} at once | ${perSecond.toFixed(0)} /s | ${(medianMs * 1000).toFixed(0)} µs |`,
    );
  }

  // Two hubs: SSHUB_RATE_LIMIT is read when a hub starts.
  const hubWith = async (limit: string) => {
    process.env.SSHUB_RATE_LIMIT = limit;
    process.env.SSHUB_LOG_LEVEL = "warn";
    const hub = await startHub({
      orm,
      port: 0,
      host: "127.0.0.1",
      production: true,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    hubs.push(hub);
    return hub;
  };
  const off = await hubWith("0");
  const on = await hubWith("1000000000");
  const request = (hub: RunningHub) => async () => {
    const response = await fetch(hub.url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
      },
      body: '{"query":"{ __typename }"}',
    });
    if (response.status !== 200)
      throw new Error(`${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  };
  // Warm both (the token's check, the pool's connections, JIT) before measuring.
  for (const hub of [off, on]) await measure(200, CONCURRENCY, request(hub));
  const results = { off: [] as number[], on: [] as number[] };
  const latency = { off: [] as number[], on: [] as number[] };
  for (let round = 0; round < ROUNDS; round++)
    for (const [which, hub] of [
      ["off", off],
      ["on", on],
    ] as const) {
      const { perSecond, medianMs } = await measure(
        REQUESTS,
        CONCURRENCY,
        request(hub),
      );
      results[which].push(perSecond);
      latency[which].push(medianMs);
      process.stderr.write(
        `bench:rate-limit: round ${round + 1}, limit ${which}: ${perSecond.toFixed(0)} requests/s, median ${medianMs.toFixed(2)} ms\n`,
      );
    }
  for (const which of ["off", "on"] as const)
    lines.push(
      `| hub, limit ${which}, ${CONCURRENCY} at once (rounds: ${results[which].map((n) => n.toFixed(0)).join(", ")} /s) | ${median(results[which]).toFixed(0)} /s | ${(median(latency[which]) * 1000).toFixed(0)} µs |`,
    );
  process.stdout.write(
    `\nRate limit counted in PostgreSQL: ${REQUESTS} calls a round, ${ROUNDS} rounds of the hubs in alternation.\n\n` +
      `| what | median throughput | median latency |\n| --- | --- | --- |\n${lines.join("\n")}\n\n` +
      `With the limit on, the hub answers ${((median(results.on) / median(results.off)) * 100).toFixed(0)}% of the requests per second it answers with it off.\n`,
  );
  for (const hub of hubs.splice(0)) await hub.stop();
  await orm.close();
} finally {
  for (const hub of hubs) await hub.stop().catch(() => undefined);
  await handle.release();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

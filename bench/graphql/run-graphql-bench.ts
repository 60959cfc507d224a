import "reflect-metadata";
import pg from "pg";
import { performance } from "node:perf_hooks";
import { ensureDatabase, openDatabase } from "../../db/database-url.js";
import { loadCouncilRegister } from "../../db/load-council-register.js";
import { migrate, openOrm } from "../../db/open-orm.js";
import { CouncilRegister } from "../../register/resolve-council.js";
import { toGlobalId } from "../../schema/global-id.js";
import { Role } from "../../schema/role.js";
import { createToken } from "../../server/auth/token-service.js";
import { operatorCaller } from "../../server/caller.js";
import { startHub } from "../../server/start-hub.js";
import { benchQueries, type BenchQuery } from "./bench-queries.js";
import { generateNationalDataset } from "./generate-national-dataset.js";

// `npm run bench:graphql`: a national-scale hub in its own database (sshub_bench, on the embedded
// cluster or DATABASE_URL's server), the API on 127.0.0.1, and a fixed query set measured per query.

const SEQUENTIAL_RUNS = 30;
const WARM_UP_RUNS = 3;
const CLIENTS = 16;
/** Each concurrent client stops after this many requests or this many milliseconds, whichever first. */
const REQUESTS_PER_CLIENT = 25;
const CONCURRENT_MS = 5_000;
const FLOOR_RUNS = 15;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/** The bench's API token (national, finance: every query of the set is allowed). */
let authorization = "";

async function post(url: string, query: BenchQuery): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization },
    body: JSON.stringify({ query: query.graphql, variables: query.variables }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  if (!response.ok || body.errors)
    throw new Error(`${query.name}: ${JSON.stringify(body).slice(0, 500)}`);
  return performance.now() - started;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const handle = await openDatabase({ log });
const url = await ensureDatabase(handle.url, "sshub_bench");
let statements = 0;
const orm = await openOrm(url, {
  debug: ["query"],
  logger: () => void statements++,
  pool: { min: 2, max: 20 },
});
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  await migrate(orm);
  await loadCouncilRegister(orm.em.fork(), CouncilRegister.default().records);
  log("generating the national dataset…");
  const t0 = performance.now();
  const counts = await generateNationalDataset(client);
  log(
    `generated in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`,
  );
  const { rows: busiest } = await client.query<{ gss_code: string }>(
    `select c.gss_code from council c join membership m on m.council_id = c.id
     group by c.id order by count(*) desc, c.gss_code limit 1`,
  );
  const { rows: partnership } = await client.query<{ id: number }>(
    "select id from partnership order by name limit 1 offset 500",
  );
  const queries = benchQueries({
    councilCode: busiest[0]!.gss_code,
    partnershipId: partnership[0]!.id,
    partnershipGlobalId: toGlobalId("Partnership", partnership[0]!.id),
  });
  const { token } = await createToken(orm.em.fork(), {
    name: `bench ${Date.now()}`,
    role: Role.FINANCE,
    councils: [],
    expires: "1d",
    createdBy: operatorCaller(),
  });
  authorization = `Bearer ${token}`;
  // The bench's own hub: no rate limit (the concurrent runs send thousands of requests a minute).
  process.env.SSHUB_RATE_LIMIT = "0";
  const hub = await startHub({
    orm,
    port: 0,
    host: "127.0.0.1",
    production: true,
    log,
  });
  const results = [];
  try {
    for (const query of queries) {
      for (let i = 0; i < WARM_UP_RUNS; i++) await post(hub.url, query);
      statements = 0;
      await post(hub.url, query);
      const perRequest = statements;
      const latencies: number[] = [];
      for (let i = 0; i < SEQUENTIAL_RUNS; i++)
        latencies.push(await post(hub.url, query));
      latencies.sort((a, b) => a - b);
      let done = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          for (let i = 0; i < REQUESTS_PER_CLIENT; i++) {
            if (performance.now() - started > CONCURRENT_MS) break;
            await post(hub.url, query);
            done++;
          }
        }),
      );
      const throughput = done / ((performance.now() - started) / 1000);
      const floors: number[] = [];
      for (let i = 0; i < FLOOR_RUNS + 2; i++) {
        const t = performance.now();
        await client.query(query.floorSql, query.floorParams);
        if (i >= 2) floors.push(performance.now() - t);
      }
      floors.sort((a, b) => a - b);
      const row = {
        query: query.name,
        statements: perRequest,
        medianMs: +percentile(latencies, 0.5).toFixed(1),
        p95Ms: +percentile(latencies, 0.95).toFixed(1),
        requestsPerSecond16: +throughput.toFixed(1),
        floorSqlMedianMs: +percentile(floors, 0.5).toFixed(1),
      };
      results.push(row);
      log(JSON.stringify(row));
    }
  } finally {
    await hub.stop();
  }
  console.table(results);
} finally {
  await client.end();
  await orm.close();
  await handle.release();
}

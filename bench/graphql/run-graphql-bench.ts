import autocannon from "autocannon";
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { findProjectRoot } from "../../db/project-root.js";
import { fromGlobalId } from "../../schema/global-id.js";
import { SSHUB_NODE_FLAGS } from "../sshub-node-flags.js";
import { backendCpu, backendCpuBetween } from "./backend-cpu.js";
import type { ChildReady, ChildStats } from "./bench-child.js";
import {
  benchQueries,
  type BenchQuery,
  type GraphqlRequest,
} from "./bench-queries.js";
import { prepareBenchDatabase } from "./prepare-bench-database.js";

// `npm run bench:graphql [-- --quick] [-- --only "deep list"] [-- --connections 1] [-- --profile] [-- --heap-snapshot]`:
// the hub, PostGraphile 5 and the hand-written SQL floors, each in its own process on one
// national-scale database, measured in alternation (hub, PostGraphile, floor for a request, then the
// next request; three rounds) with autocannon at 16 connections. CPU per request is the server
// process's own, its PostgreSQL backends' (found by the application_name each server's pool connects
// with and read from /proc: "n/a" when the database is on another machine) and the two together,
// which is what throughput on a saturated machine is made of. --profile writes the hub's CPU
// profile to bench/out/profiles/; --heap-snapshot writes the hub's heap at the end of the run (after
// the memory figures are read) to bench/out/hub-end.heapsnapshot; --hub-flags "…" starts the hub with
// those V8 flags instead of bin/sshub.js's. --connections 1 sends one request at a time: its p50 is a
// single request's latency (the issue's "a deep-list request under 20 ms").

const args = process.argv.slice(2);
const QUICK = args.includes("--quick");
const PROFILE = args.includes("--profile");
const HEAP_SNAPSHOT = args.includes("--heap-snapshot");
/** `--hub-flags "--max-semi-space-size=8 …"`: V8 flags for the hub instead of bin/sshub.js's, to weigh memory against CPU. */
const HUB_FLAGS = args.includes("--hub-flags")
  ? args[args.indexOf("--hub-flags") + 1]!.split(/\s+/).filter(Boolean)
  : SSHUB_NODE_FLAGS;
const ONLY = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
const ROUNDS = QUICK ? 1 : 3;
/** Connections of the load generator: 16 unless `--connections N` (1 for a single request's latency). */
const CONNECTIONS = args.includes("--connections")
  ? Number(args[args.indexOf("--connections") + 1])
  : 16;
if (!Number.isInteger(CONNECTIONS) || CONNECTIONS < 1)
  throw new Error(
    "--connections takes a whole number of connections, at least 1.",
  );
/**
 * About how long each request, server and round is loaded for: as many requests as the server's
 * last throughput gives in that time (twice the connections at least), each waited for to the end,
 * so that slow servers are measured on whole requests too. A warm-up of one request per connection
 * comes first.
 */
const SECONDS = 4;

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(findProjectRoot(here), "bench", "out");
const log = (line: string) => process.stderr.write(`${line}\n`);

type TargetName = "hub" | "PostGraphile" | "floor";

/** A server under test: its process, URL and how a request of the set is sent to it. */
interface Target {
  name: TargetName;
  child: ChildProcess;
  url: string;
  /** The application_name its pool connects with (PGAPPNAME), so its PostgreSQL backends can be found. */
  applicationName: string;
  /** The HTTP request for `query`, or null where this server cannot answer it. */
  request(
    query: BenchQuery,
    index: number,
  ): { url: string; headers: Record<string, string>; body: string } | null;
}

function startChild(
  script: string,
  env: NodeJS.ProcessEnv,
  execArgv: string[],
): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(join(here, script), [], {
    env,
    execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(new Error(`${script} exited with ${code} before listening`)),
    );
    child.once("message", (message) =>
      resolve({ child, url: (message as ChildReady).ready }),
    );
  });
}

function statsOf(child: ChildProcess): Promise<ChildStats> {
  return new Promise((resolve) => {
    child.once("message", (message) => resolve(message as ChildStats));
    child.send("stats");
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill(), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.send("stop");
  });
}

const graphqlRequest = (
  url: string,
  request: GraphqlRequest,
  headers: Record<string, string> = {},
) => ({
  url,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify({
    query: request.graphql,
    variables: request.variables,
  }),
});

async function send(
  request: NonNullable<ReturnType<Target["request"]>>,
): Promise<unknown> {
  const response = await fetch(request.url, {
    method: "POST",
    headers: request.headers,
    body: request.body,
  });
  const text = await response.text();
  const body = JSON.parse(text) as { errors?: unknown };
  if (!response.ok || (body && typeof body === "object" && body.errors))
    throw new Error(`${request.url}: ${text.slice(0, 500)}`);
  return body;
}

/** The database id of a global id: the hub's (base64url "Type:id") or PostGraphile's (base64 JSON ["types", id]). */
function databaseId(id: string, server: TargetName): number {
  if (server === "hub") return fromGlobalId(id).id;
  const decoded = JSON.parse(Buffer.from(id, "base64").toString("utf8"));
  return decoded.at(-1) as number;
}

/**
 * What must match between the two servers' answers: every object's database id, every count
 * and every amount (the hub's Money objects and PostGraphile's numeric strings alike), in order.
 */
function identity(value: unknown, server: TargetName, out: unknown[] = []) {
  if (Array.isArray(value))
    for (const item of value) identity(item, server, out);
  else if (value && typeof value === "object")
    for (const [key, field] of Object.entries(value)) {
      if (key === "id") out.push(databaseId(field as string, server));
      else if (key === "totalCount") out.push(field);
      else if (
        (key === "amount" || key === "movement") &&
        typeof field !== "object"
      )
        out.push(field);
      else identity(field, server, out);
    }
  return out;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[mid]!
    : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (value: number, digits = 1) => +value.toFixed(digits);

interface Cell {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
  /** The CPU of the server's PostgreSQL backends per request, or null where /proc cannot show them (another machine). */
  pgCpuMsPerRequest: number | null;
  /** Backends of the server's pool that closed during the run (their CPU is not counted; 0 expected). */
  lostBackends: number;
  errors: number;
  /** What the errors were: "503: 3", "socket errors: 2" (autocannon counts both as errors). */
  errorKinds: string;
  /** The server's most resident memory so far (MB), read after this cell: where memory grows. */
  maxRssMb: number;
}

async function load(
  target: Target,
  request: NonNullable<ReturnType<Target["request"]>>,
  amount: number,
): Promise<Cell> {
  const before = await statsOf(target.child);
  const pgBefore = await backendCpu(pgStats, target.applicationName);
  const result = await autocannon({
    url: request.url,
    method: "POST",
    headers: request.headers,
    body: request.body,
    connections: CONNECTIONS,
    amount,
    // autocannon's default of 10 s would count a slow server's requests as errors.
    timeout: 120,
    // autocannon notices that the last request is done only when it samples (every second by
    // default), which rounded every run up to whole seconds: fast servers looked slow.
    sampleInt: 10,
  });
  const after = await statsOf(target.child);
  const pg = backendCpuBetween(
    pgBefore,
    await backendCpu(pgStats, target.applicationName),
  );
  const done = result.requests.total;
  return {
    requestsPerSecond: done / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMsPerRequest: (after.cpuMicros - before.cpuMicros) / 1000 / done,
    pgCpuMsPerRequest: pg && pg.ms / done,
    lostBackends: pg?.lost ?? 0,
    maxRssMb: Math.round(after.maxRssBytes / 2 ** 20),
    errors: result.errors + result.non2xx,
    errorKinds: [
      ...Object.entries(result.statusCodeStats ?? {})
        .filter(([status]) => !status.startsWith("2"))
        .map(([status, { count }]) => `${status}: ${count}`),
      ...(result.timeouts ? [`timeouts: ${result.timeouts}`] : []),
      ...(result.errors - result.timeouts
        ? [`socket errors: ${result.errors - result.timeouts}`]
        : []),
    ].join(", "),
  };
}

const started = performance.now();
const db = await prepareBenchDatabase(log);
const queries = benchQueries(db.ids).filter(
  (query) => !ONLY || query.name === ONLY,
);
// Reads pg_stat_activity for the servers' backends; its own backend has a name of its own.
const pgStats = new pg.Client({
  connectionString: db.url,
  application_name: "sshub-bench-runner",
});
await pgStats.connect();
const applicationName = (name: TargetName) =>
  `sshub-bench-${name.toLowerCase()}`;
const env = {
  ...process.env,
  NODE_ENV: "production",
  GRAPHILE_ENV: "production",
  SSHUB_RATE_LIMIT: "0",
  BENCH_DATABASE_URL: db.url,
  BENCH_IDS: JSON.stringify(db.ids),
};
const profileDir = join(outDir, "profiles");
if (PROFILE) mkdirSync(profileDir, { recursive: true });
const envOf = (name: TargetName) => ({
  ...env,
  PGAPPNAME: applicationName(name),
});
const [hub, peer, floor] = await Promise.all([
  startChild("serve-hub.js", envOf("hub"), [
    ...HUB_FLAGS,
    ...(PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
  ]),
  startChild("serve-postgraphile.js", envOf("PostGraphile"), []),
  startChild("serve-floor.js", envOf("floor"), []),
]);
const allQueries = benchQueries(db.ids);
const targets: Target[] = [
  {
    name: "hub",
    ...hub,
    applicationName: applicationName("hub"),
    request: (query) =>
      graphqlRequest(hub.url, query.hub, { authorization: db.authorization }),
  },
  {
    name: "PostGraphile",
    ...peer,
    applicationName: applicationName("PostGraphile"),
    request: (query) =>
      "cannot" in query.postgraphile
        ? null
        : graphqlRequest(peer.url, query.postgraphile),
  },
  {
    name: "floor",
    ...floor,
    applicationName: applicationName("floor"),
    request: (query) => ({
      url: `${floor.url}${allQueries.findIndex((q) => q.name === query.name)}`,
      headers: {},
      body: "{}",
    }),
  },
];
const cpu = cpus();
const machine = `${cpu.length} × ${cpu[0]?.model ?? "?"}, load average ${loadavg()
  .map((n) => n.toFixed(1))
  .join(" ")} at the start`;
log(`${machine}; hub flags: ${HUB_FLAGS.join(" ") || "none"}`);

try {
  // 1. Both servers answer with the same data: the same ids, counts and amounts in the same order.
  for (const query of queries) {
    const [ours, theirs] = await Promise.all([
      send(targets[0]!.request(query, 0)!),
      "cannot" in query.postgraphile
        ? null
        : send(targets[1]!.request(query, 0)!),
    ]);
    await send(targets[2]!.request(query, 0)!).catch(() => {
      throw new Error(`${query.name}: the floor SQL failed`);
    });
    if (theirs === null) continue;
    const a = JSON.stringify(identity(ours, "hub"));
    const b = JSON.stringify(identity(theirs, "PostGraphile"));
    if (a !== b)
      throw new Error(
        `${query.name}: the hub and PostGraphile answer differently:\nhub:          ${a.slice(0, 400)}\nPostGraphile: ${b.slice(0, 400)}`,
      );
    log(
      `${query.name}: the hub and PostGraphile return the same ${identity(ours, "hub").length} ids, counts and amounts`,
    );
  }

  // 2. Statements per request (one request after a warm-up), from each server's own count.
  const statements = new Map<string, number>();
  for (const query of queries)
    for (const target of targets) {
      const request = target.request(query, 0);
      if (!request) continue;
      await send(request);
      const before = await statsOf(target.child);
      await send(request);
      const after = await statsOf(target.child);
      statements.set(
        `${query.name}|${target.name}`,
        after.statements - before.statements,
      );
    }

  // 3. Load, in alternation: for each round, each request, each server in turn.
  const cells = new Map<string, Cell[]>();
  const throughput = new Map<string, number>();
  for (let r = 1; r <= ROUNDS; r++) {
    for (const query of queries)
      for (const target of targets) {
        const request = target.request(query, 0);
        if (!request) continue;
        const key = `${query.name}|${target.name}`;
        if (!throughput.has(key))
          throughput.set(
            key,
            (await load(target, request, CONNECTIONS)).requestsPerSecond,
          );
        const cell = await load(
          target,
          request,
          Math.max(2 * CONNECTIONS, Math.round(throughput.get(key)! * SECONDS)),
        );
        throughput.set(key, cell.requestsPerSecond);
        cells.set(key, [...(cells.get(key) ?? []), cell]);
        log(
          `round ${r} ${query.name} ${target.name}: ${cell.requestsPerSecond.toFixed(1)} req/s, p50 ${cell.p50Ms} ms, p99 ${cell.p99Ms} ms, ${cell.cpuMsPerRequest.toFixed(2)} ms CPU/request + PostgreSQL ${cell.pgCpuMsPerRequest?.toFixed(2) ?? "n/a"} ms, max RSS ${cell.maxRssMb} MB${cell.lostBackends ? `, ${cell.lostBackends} backends closed during the run (their CPU is missing)` : ""}${cell.errors ? `, ${cell.errors} ERRORS (${cell.errorKinds})` : ""}`,
        );
      }
  }
  const memory = await Promise.all(targets.map((t) => statsOf(t.child)));
  if (HEAP_SNAPSHOT) {
    mkdirSync(outDir, { recursive: true });
    const written = await new Promise<string>((resolve) => {
      hub.child.once("message", (message) =>
        resolve((message as { heapSnapshot: string }).heapSnapshot),
      );
      hub.child.send({ heapSnapshot: join(outDir, "hub-end.heapsnapshot") });
    });
    log(`the hub's heap at the end: ${written}`);
  }

  // CPU per request of the server's PostgreSQL backends, and of the server and its backends together
  // (what throughput on a saturated machine is made of): medians over the rounds.
  const pgCpu = (runs: Cell[]) =>
    runs.every((c) => c.pgCpuMsPerRequest !== null)
      ? round(median(runs.map((c) => c.pgCpuMsPerRequest!)), 2)
      : null;
  const totalCpu = (runs: Cell[]) =>
    runs.every((c) => c.pgCpuMsPerRequest !== null)
      ? round(
          median(runs.map((c) => c.cpuMsPerRequest + c.pgCpuMsPerRequest!)),
          2,
        )
      : null;
  const rows = [];
  const ratios = [];
  for (const query of queries) {
    const of = (name: TargetName) => cells.get(`${query.name}|${name}`);
    for (const target of targets) {
      const runs = of(target.name);
      if (!runs) continue;
      rows.push({
        request: query.name,
        server: target.name,
        "req/s": round(median(runs.map((c) => c.requestsPerSecond))),
        "p50 ms": round(median(runs.map((c) => c.p50Ms))),
        "p99 ms": round(median(runs.map((c) => c.p99Ms))),
        "CPU ms/req": round(median(runs.map((c) => c.cpuMsPerRequest)), 2),
        "PG CPU ms/req": pgCpu(runs) ?? "n/a",
        "total CPU ms/req": totalCpu(runs) ?? "n/a",
        "SQL/req": statements.get(`${query.name}|${target.name}`),
        errors: runs.reduce((n, c) => n + c.errors, 0),
      });
    }
    const hubRuns = of("hub")!;
    const perRound = (name: TargetName) => {
      const other = of(name);
      return other
        ? hubRuns.map(
            (c, i) => c.requestsPerSecond / other[i]!.requestsPerSecond,
          )
        : null;
    };
    const vsPeer = perRound("PostGraphile");
    const vsFloor = perRound("floor")!;
    const peerRuns = of("PostGraphile");
    const floorRuns = of("floor")!;
    const totalRatio = (other: Cell[] | undefined) => {
      const ours = totalCpu(hubRuns);
      const theirs = other && totalCpu(other);
      return ours !== null && theirs ? round(ours / theirs, 2) : "n/a";
    };
    ratios.push({
      request: query.name,
      "hub/PostGraphile req/s": vsPeer
        ? round(median(vsPeer), 2)
        : "cannot express",
      "per round": vsPeer ? vsPeer.map((x) => x.toFixed(2)).join(" ") : "",
      "PostGraphile/hub CPU per req": peerRuns
        ? round(
            median(peerRuns.map((c) => c.cpuMsPerRequest)) /
              median(hubRuns.map((c) => c.cpuMsPerRequest)),
            2,
          )
        : "",
      "hub/PostGraphile total CPU per req": peerRuns
        ? totalRatio(peerRuns)
        : "",
      "hub/floor req/s": round(median(vsFloor), 2),
      "per round ": vsFloor.map((x) => x.toFixed(2)).join(" "),
      "hub/floor total CPU per req": totalRatio(floorRuns),
    });
  }
  const memoryRows = targets.map((target, i) => ({
    server: target.name,
    "RSS at the end MB": Math.round(memory[i]!.rssBytes / 2 ** 20),
    "max RSS MB": Math.round(memory[i]!.maxRssBytes / 2 ** 20),
    "heap used / reserved MB at the end": `${Math.round(memory[i]!.heapUsedBytes / 2 ** 20)} / ${Math.round(memory[i]!.heapTotalBytes / 2 ** 20)}`,
    "external MB": Math.round(memory[i]!.externalBytes / 2 ** 20),
  }));
  console.log(
    `\n${machine}; ${ROUNDS} round(s) of about ${SECONDS} s per request and server, ${CONNECTIONS} connections; medians over the rounds.`,
  );
  console.table(rows);
  console.log(
    "Ratios (median of the per-round ratios; the servers alternate, so a round's ratio compares like with like on this shared machine):",
  );
  console.table(ratios);
  console.table(memoryRows);
  for (const query of queries)
    if ("cannot" in query.postgraphile)
      console.log(
        `PostGraphile cannot express "${query.name}": ${query.postgraphile.cannot}.`,
      );
  console.log(
    `Whole run: ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  );
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, "graphql-bench.json"),
    JSON.stringify(
      {
        machine,
        rounds: ROUNDS,
        seconds: SECONDS,
        rows,
        ratios,
        memory: memoryRows,
        cells: Object.fromEntries(cells),
      },
      null,
      2,
    ),
  );
} finally {
  await Promise.all(targets.map((t) => stopChild(t.child)));
  await pgStats.end();
  await db.release();
}

import { spawn, type ChildProcess } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectPostgres } from "../../db/connect-postgres.js";
import {
  withDatabaseName,
  ensureDatabase,
  openDatabase,
} from "../../db/database-url.js";
import { findProjectRoot } from "../../db/project-root.js";
import { deletingChunksOfUpdated } from "../../jobs/upload-chunks.js";
import { loadCouncilRegister } from "../../db/load-council-register.js";
import { migrate, openOrm } from "../../db/open-orm.js";
import { CouncilRegister } from "../../register/resolve-council.js";
import { Role } from "../../schema/role.js";
import { createToken } from "../../server/auth/token-service.js";
import { operatorCaller } from "../../server/caller.js";
import { writeLongTracker } from "../import/write-long-tracker.js";

// `npm run bench:jobs [-- --jobs 20 --rounds 3 --big 1000000]`: an API-only hub (`sshub start
// --no-worker`) and one, then two, `sshub worker` processes on one database (DATABASE_URL's server,
// or an embedded one in a temporary folder). Each round uploads `--jobs` 1,000-row trackers (each
// for its own month, so each writes its figures) as fast as the API takes them and waits until all
// are IMPORTED: jobs per minute from the first upload to the last end, and the latency of each job
// from upload to imported (median and 90th percentile, from the jobs' own timestamps). Then the
// time POST /imports takes to answer 202 for a `--big`-row tracker, `--big-rounds` times (5): from
// the request's start, from its last byte sent, and from its last byte received by the hub (the
// 202's Server-Timing: the sent bytes may still wait in the sockets' buffers) (the upload is stored
// while it arrives, so the 202 should follow the last byte closely); the jobs are cancelled, not run, unless `--complete`
// (then the first is run by a worker to its end). `--jobs 0` measures only the big upload.
const root = findProjectRoot(fileURLToPath(new URL(".", import.meta.url)));
const bin = join(root, "bin", "sshub.js");
const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const JOBS = arg("jobs", 20);
const ROUNDS = arg("rounds", 3);
const BIG = arg("big", 1_000_000);
const BIG_ROUNDS = arg("big-rounds", 5);
const complete = process.argv.includes("--complete");
const outDir = join(root, "bench", "out");
mkdirSync(outDir, { recursive: true });

const dataDir = process.env.DATABASE_URL
  ? undefined
  : mkdtempSync(join(tmpdir(), "sshub-bench-jobs-"));
const handle = await openDatabase({
  ...(dataDir ? { dataDir } : {}),
  log: () => undefined,
});
const children = new Set<ChildProcess>();

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `sshub args`, resolving once stdout says `ready`. */
function start(
  args: string[],
  env: Record<string, string>,
  ready: string,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => void (stderr += chunk));
  return new Promise((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes(ready)) resolve(child);
    });
    child.on("exit", (code) =>
      reject(new Error(`sshub ${args[0]} exited (${code}): ${stderr}`)),
    );
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  children.delete(child);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ]!;
};

try {
  const url = withDatabaseName(handle.url, "sshub_bench_jobs");
  const admin = await connectPostgres(withDatabaseName(handle.url, "postgres"));
  await admin.query("drop database if exists sshub_bench_jobs with (force)");
  await admin.end();
  await ensureDatabase(url, "sshub_bench_jobs");
  // Migrations and the register, as any command does; then a token for the uploads.
  const orm = await openOrm(url);
  await migrate(orm);
  await loadCouncilRegister(orm.em.fork(), CouncilRegister.default().records);
  const { token } = await createToken(orm.em.fork(), {
    name: "bench analyst",
    role: Role.ANALYST,
    councils: [],
    createdBy: operatorCaller(),
  });
  const env = {
    DATABASE_URL: url,
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    SSHUB_RATE_LIMIT: "0",
    SSHUB_AUTH_FAILURE_LIMIT: "0",
    SSHUB_LOG_LEVEL: "warn",
  };
  const port = await freePort();
  const api = await start(
    ["start", "--no-sample-data", "--no-worker"],
    { ...env, PORT: String(port) },
    "Shared Services Hub ready",
  );
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${token}` };

  const small = join(outDir, "long-tracker-1000.xlsx");
  if (!existsSync(small)) await writeLongTracker(small, 1_000);
  const smallBytes = readFileSync(small);
  const upload = async (bytes: Buffer, fields: Record<string, string>) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.set(key, value);
    form.set("file", new Blob([new Uint8Array(bytes)]), "tracker.xlsx");
    const started = performance.now();
    const response = await fetch(`${base}/imports`, {
      method: "POST",
      body: form,
      headers,
    });
    const ms = performance.now() - started;
    if (response.status !== 202)
      throw new Error(
        `POST /imports: ${response.status} ${await response.text()}`,
      );
    return { id: ((await response.json()) as { id: string }).id, ms };
  };
  const jobRows = async (ids: string[]) =>
    orm.em
      .fork()
      .execute<{ state: string; queued_at: Date; finished_at: Date | null }[]>(
        `select state, queued_at, finished_at from import_job where id in (${ids.map(() => "?").join(",")})`,
        ids,
      );

  /**
   * POSTs `bytes` as the form's file over a plain HTTP request with its Content-Length, as a browser
   * does: the times from the request's start, and from its last byte handed to the socket, to the 202.
   */
  const timedUpload = (bytes: Buffer) =>
    new Promise<{
      id: string;
      fromStart: number;
      fromLastByte: number;
      fromLastByteInHub: number;
    }>((resolve, reject) => {
      const boundary = "sshub-bench-boundary";
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="tracker.xlsx"\r\n` +
          `Content-Type: application/octet-stream\r\n\r\n`,
      );
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const started = performance.now();
      let lastByte = 0;
      const req = request(
        `${base}/imports`,
        {
          method: "POST",
          headers: {
            ...headers,
            "content-type": `multipart/form-data; boundary=${boundary}`,
            "content-length": String(head.length + bytes.length + tail.length),
          },
        },
        (res) => {
          const answered = performance.now();
          let body = "";
          res.on("data", (chunk: Buffer) => void (body += chunk));
          res.on("end", () => {
            if (res.statusCode !== 202)
              return reject(
                new Error(`POST /imports: ${res.statusCode} ${body}`),
              );
            resolve({
              id: (JSON.parse(body) as { id: string }).id,
              fromStart: answered - started,
              fromLastByte: answered - (lastByte || answered),
              fromLastByteInHub: Number(
                /dur=([\d.]+)/.exec(
                  String(res.headers["server-timing"]),
                )?.[1] ?? NaN,
              ),
            });
          });
        },
      );
      req.on("error", reject);
      req.write(head);
      // In 64 KB writes, waiting for the socket to drain, as a client streaming a file does.
      let at = 0;
      const more = () => {
        while (at < bytes.length) {
          const piece = bytes.subarray(at, at + 64 * 1024);
          at += piece.length;
          if (!req.write(piece)) return void req.once("drain", more);
        }
        req.end(tail, () => void (lastByte = performance.now()));
      };
      more();
    });

  let month = 0;
  const lines: string[] = [];
  for (const workers of JOBS > 0 ? [1, 2] : []) {
    const started = [];
    for (let w = 0; w < workers; w++)
      started.push(
        await start(["worker"], env, "Shared Services Hub worker ready"),
      );
    const perMinute: number[] = [];
    const latencies: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const first = Date.now();
      const ids = await Promise.all(
        Array.from({ length: JOBS }, () => {
          month++;
          const period = `${2011 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}`;
          return upload(smallBytes, { period }).then((u) => u.id);
        }),
      );
      for (;;) {
        const rows = await jobRows(ids);
        if (rows.every((r) => r.finished_at)) {
          const bad = rows.filter((r) => r.state !== "IMPORTED");
          if (bad.length)
            throw new Error(`${bad.length} jobs ended ${bad[0]!.state}`);
          const last = Math.max(
            ...rows.map((r) => new Date(r.finished_at!).getTime()),
          );
          perMinute.push((JOBS / (last - first)) * 60_000);
          for (const r of rows)
            latencies.push(
              new Date(r.finished_at!).getTime() -
                new Date(r.queued_at).getTime(),
            );
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      process.stderr.write(
        `bench:jobs: ${workers} worker(s), round ${round + 1}: ${perMinute.at(-1)!.toFixed(0)} jobs/min\n`,
      );
    }
    lines.push(
      `| ${workers} | ${ROUNDS} × ${JOBS} | ${perMinute.map((n) => n.toFixed(0)).join(", ")} | ${median(perMinute).toFixed(0)} | ${(median(latencies) / 1000).toFixed(1)} s | ${(percentile(latencies, 90) / 1000).toFixed(1)} s |`,
    );
    for (const child of started) await stop(child);
  }
  if (JOBS > 0)
    process.stdout.write(
      `\nImport jobs of 1,000-row trackers (API-only hub + N sshub worker processes):\n\n` +
        `| workers | rounds × jobs | jobs/min per round | median jobs/min | median latency upload→imported | p90 latency |\n` +
        `| --- | --- | --- | --- | --- | --- |\n${lines.join("\n")}\n`,
    );

  if (BIG > 0 && BIG_ROUNDS > 0) {
    const big = join(outDir, `long-tracker-${BIG}.xlsx`);
    if (!existsSync(big)) {
      process.stderr.write(`bench:jobs: writing ${big}…\n`);
      await writeLongTracker(big, BIG);
    }
    const bigBytes = readFileSync(big);
    const rounds: {
      fromStart: number;
      fromLastByte: number;
      fromLastByteInHub: number;
    }[] = [];
    const ids: string[] = [];
    for (let i = 0; i < BIG_ROUNDS; i++) {
      const { id, ...times } = await timedUpload(bigBytes);
      rounds.push(times);
      ids.push(id);
      process.stderr.write(
        `bench:jobs: ${BIG}-row upload, round ${i + 1}: 202 ${times.fromStart.toFixed(0)} ms after the start, ${times.fromLastByte.toFixed(0)} ms after the last byte sent, ${times.fromLastByteInHub.toFixed(0)} ms after the hub received it\n`,
      );
    }
    const ms = (values: number[]) => values.map((t) => t.toFixed(0)).join(", ");
    const fromStart = rounds.map((r) => r.fromStart);
    const fromLastByte = rounds.map((r) => r.fromLastByte);
    const inHub = rounds.map((r) => r.fromLastByteInHub);
    process.stdout.write(
      `\nPOST /imports of a ${BIG.toLocaleString("en-GB")}-row tracker (${(bigBytes.length / 1024 / 1024).toFixed(1)} MB), ${BIG_ROUNDS} rounds:\n\n` +
        `| from | per round (ms) | median (ms) |\n| --- | --- | --- |\n` +
        `| request start → 202 | ${ms(fromStart)} | ${median(fromStart).toFixed(0)} |\n` +
        `| last byte sent → 202 (client) | ${ms(fromLastByte)} | ${median(fromLastByte).toFixed(0)} |\n` +
        `| last byte received → 202 (hub, Server-Timing) | ${ms(inHub)} | ${median(inHub).toFixed(0)} |\n`,
    );
    if (complete) {
      for (const id of ids.slice(1))
        await orm.em
          .fork()
          .execute(
            deletingChunksOfUpdated(
              "update import_job set state = 'CANCELLED', finished_at = now() where id = ?",
            ),
            [id],
          );
      const worker = await start(
        ["worker"],
        env,
        "Shared Services Hub worker ready",
      );
      const t0 = Date.now();
      for (;;) {
        const [row] = await jobRows([ids[0]!]);
        if (row!.finished_at) {
          process.stdout.write(
            `The ${BIG.toLocaleString("en-GB")}-row job ended ${row!.state} ${((Date.now() - t0) / 1000).toFixed(0)} s after a worker started.\n`,
          );
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      await stop(worker);
    }
  }
  await stop(api);
  await orm.close();
} finally {
  for (const child of children) child.kill("SIGKILL");
  await handle.release();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

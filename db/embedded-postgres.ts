import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import {
  ConfigurationError,
  DatabaseUnavailableError,
} from "../errors/hub-error.js";
import { connectPostgres } from "./connect-postgres.js";
import { ensureDatabase } from "./ensure-database.js";
import { withFileLock } from "./file-lock.js";
import {
  postgresBinaries,
  type PostgresBinaries,
} from "./postgres-binaries.js";
import {
  Access,
  blockedPathFor,
  postgresOsUser,
  type OsUser,
} from "./postgres-os-user.js";
import { isProcessAlive, processStartTime } from "./process-alive.js";
import { moveClusterPort } from "./cluster-port.js";

/** A database to connect to, and how to let go of it. */
export interface DatabaseHandle {
  /** `postgresql://…/<database>`; for the embedded cluster the database is EMBEDDED_DATABASE_NAME. */
  url: string;
  /** True when this process shares the embedded cluster (and release() may stop it). */
  embedded: boolean;
  /** The embedded cluster's data folder; null for DATABASE_URL. */
  dataDir: string | null;
  /** Gives the database up; idempotent. The last holder of an embedded cluster stops it. */
  release(): Promise<void>;
  /**
   * For a long-running holder (the hub): checks every `intervalMs` that the embedded cluster still
   * runs, and when it has died starts it again (on the same port, so open pools reconnect) or
   * attaches to the one another command started, saying so in one line. When it comes back on
   * another port (its own taken meanwhile), the pools registered with followClusterPort are moved
   * there and `moved` is told, so the hub reattaches. Returns how to stop watching. Absent for
   * DATABASE_URL, whose server the hub does not own.
   */
  supervise?(
    log: (line: string) => void,
    intervalMs?: number,
    moved?: (port: number) => void,
  ): () => void;
}

/** Where the embedded cluster lives, and where progress lines go. */
export interface EmbeddedOptions {
  dataDir: string;
  log?: (line: string) => void;
}

/** The database the embedded cluster's URL points at; created on every start if missing. */
export const EMBEDDED_DATABASE_NAME = "sshub";

const SUPERUSER = "postgres";
/** How long a running cluster that does not answer yet (starting, or stopping) is waited for. */
const SETTLE_TIMEOUT_MS = 15_000;

/** Files of one data folder. Only pgdata (and postgres.log) belong to the postgres OS user. */
interface Layout {
  dataDir: string;
  pgdata: string;
  logFile: string;
  credentials: string;
  leases: string;
  lock: string;
  /** The port the cluster last ran on: a restart takes it again if free, so open pools reconnect. */
  lastPort: string;
}

interface Context {
  layout: Layout;
  user: OsUser | null;
  binaries: PostgresBinaries;
  log: (line: string) => void;
}

// Handles this process holds per data folder: its one lease file goes when the count reaches 0.
const holders = new Map<string, number>();

/**
 * Attaches to the embedded cluster in dataDir if some process already runs it, else initialises
 * (first time) and starts it. Every holder keeps a lease file `<dataDir>/leases/<pid>`; the last
 * one to release() stops the cluster. Start and stop run under the lock file `<dataDir>/lock`.
 */
export async function acquireEmbeddedDatabase(
  options: EmbeddedOptions,
): Promise<DatabaseHandle> {
  const context = await prepare(options);
  const { layout, log } = context;
  const port = await withFileLock(layout.lock, async () => {
    const password = readPassword(layout);
    let running =
      password === null ? null : await runningPort(context, password);
    if (running === null) {
      running = await start(context);
    } else {
      log(
        `Attached to the embedded PostgreSQL on 127.0.0.1:${running} (data in ${layout.dataDir}).`,
      );
    }
    writeLease(layout);
    holders.set(layout.dataDir, (holders.get(layout.dataDir) ?? 0) + 1);
    return running;
  });
  const password = readPassword(layout) ?? "";
  let released: Promise<void> | undefined;
  return {
    url: clusterUrl(password, port, EMBEDDED_DATABASE_NAME),
    embedded: true,
    dataDir: layout.dataDir,
    release: () => (released ??= releaseLease(context)),
    supervise: (superviseLog, intervalMs = 2_000, moved = () => undefined) =>
      superviseCluster(context, port, superviseLog, intervalMs, moved),
  };
}

/** The watch behind DatabaseHandle.supervise. */
function superviseCluster(
  context: Context,
  attachedPort: number,
  log: (line: string) => void,
  intervalMs: number,
  moved: (port: number) => void,
): () => void {
  const { layout } = context;
  let port = attachedPort;
  let busy = false;
  let failing = false;
  const check = async () => {
    const current = readPostmaster(layout);
    // A live server on another port was started by another process (a command run while this one's
    // server was down): reattach to it, as to one this watch starts.
    if (busy || (current?.live && current.port === port)) return;
    busy = true;
    try {
      const password = readPassword(layout) ?? "";
      const result = await withFileLock(layout.lock, async () => {
        const running = await runningPort(context, password);
        if (running !== null) return { port: running, started: false };
        return {
          port: await start({ ...context, log: () => {} }),
          started: true,
        };
      });
      failing = false;
      const where = `127.0.0.1:${result.port}`;
      if (result.port === port)
        log(
          `sshub: the embedded PostgreSQL had stopped; ${result.started ? "restarted it" : "reattached to it"} on ${where}.`,
        );
      else {
        // New connections go to the new port; those to the dead server fail and are dropped.
        moveClusterPort(port, result.port);
        moved(result.port);
        log(
          `sshub: the embedded PostgreSQL had stopped and now runs on ${where} (its port ${port} was taken): ${result.started ? "started it there" : "reattached to it"}.`,
        );
        port = result.port;
      }
    } catch (error) {
      // Said once; the watch keeps trying.
      if (!failing)
        log(
          `sshub: the embedded PostgreSQL has stopped and could not be started again (trying on): ${error instanceof Error ? error.message : String(error)}`,
        );
      failing = true;
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Stops the embedded cluster in dataDir whoever holds it, and forgets all leases. Resolves to
 * whether it was running. For `sshub db stop` and for tests cleaning up.
 */
export async function stopEmbeddedDatabase(
  dataDir: string,
  options: { log?: (line: string) => void } = {},
): Promise<boolean> {
  if (!existsSync(join(resolve(dataDir), "pgdata"))) return false;
  const context = await prepare({ dataDir, ...options });
  const { layout } = context;
  return withFileLock(layout.lock, async () => {
    holders.delete(layout.dataDir);
    rmSync(layout.leases, { recursive: true, force: true });
    mkdirSync(layout.leases, { recursive: true, mode: 0o700 });
    return stop(context);
  });
}

async function prepare(options: EmbeddedOptions): Promise<Context> {
  const log = options.log ?? (() => {});
  const dataDir = resolve(options.dataDir);
  const layout: Layout = {
    dataDir,
    pgdata: join(dataDir, "pgdata"),
    logFile: join(dataDir, "postgres.log"),
    credentials: join(dataDir, "credentials.json"),
    leases: join(dataDir, "leases"),
    lock: join(dataDir, "lock"),
    lastPort: join(dataDir, "last-port"),
  };
  const user = postgresOsUser();
  if (user) {
    // Refuse before creating anything when a parent already shuts the postgres user out.
    const parent = nearestExisting(dirname(dataDir));
    const blocked = statSync(parent).isDirectory()
      ? blockedPathFor(parent, user, Access.execute)
      : null;
    if (blocked !== null)
      throw ConfigurationError.dataDirUnreachable(dataDir, blocked);
  }
  try {
    // Under root, folders created on the way must let the postgres user pass (mode 711).
    mkdirSync(dataDir, { recursive: true, mode: user ? 0o711 : 0o700 });
    mkdirSync(layout.leases, { recursive: true, mode: 0o700 });
    // mkdir succeeds on an existing read-only folder: probe with a real write.
    const probe = join(dataDir, `.probe-${process.pid}`);
    writeFileSync(probe, "");
    unlinkSync(probe);
  } catch (error) {
    throw ConfigurationError.dataDirUnwritable(dataDir, describe(error));
  }
  if (user) {
    // The runner keeps its files here; the postgres user only needs to pass through to pgdata.
    const mode = statSync(dataDir).mode;
    if ((mode & 0o011) !== 0o011) chmodSync(dataDir, (mode & 0o7777) | 0o011);
    const blocked = blockedPathFor(dataDir, user, Access.execute);
    if (blocked !== null)
      throw ConfigurationError.dataDirUnreachable(dataDir, blocked);
  }
  return { layout, user, binaries: await postgresBinaries(user, log), log };
}

/** The port of the cluster if a live postmaster runs it and answers; null if it is not running. */
async function runningPort(
  context: Context,
  password: string,
): Promise<number | null> {
  const { layout } = context;
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const postmaster = readPostmaster(layout);
    if (postmaster === null) return null;
    if (!postmaster.live) {
      const leftovers = serverProcessesIn(layout.pgdata);
      if (leftovers.length === 0) {
        // A zombie postmaster (PID 1 of a container that does not reap) or a pid reused after a
        // reboot passes postgres's own kill(pid, 0) check, so it would refuse to start: clear it.
        rmSync(join(layout.pgdata, "postmaster.pid"), { force: true });
        return null;
      }
      if (Date.now() > deadline) {
        throw new DatabaseUnavailableError(
          `Processes ${leftovers.join(", ")} of a crashed PostgreSQL still run in ${layout.pgdata}: stop them, then try again.`,
        );
      }
    } else if (await answers(password, postmaster.port)) {
      return postmaster.port;
    } else if (Date.now() > deadline) {
      // Alive but silent for long: not just starting up or shutting down.
      throw new DatabaseUnavailableError(
        `The embedded PostgreSQL (pid ${postmaster.pid}, data in ${layout.dataDir}) runs but does not answer on port ${postmaster.port}: stop it with "sshub db stop" and try again.`,
      );
    }
    await sleep(100);
  }
}

/** pid and port from postmaster.pid; live when that pid is a running postgres (not a zombie, not a reused pid). */
function readPostmaster(
  layout: Layout,
): { pid: number; port: number; live: boolean } | null {
  const lines = readOrNull(join(layout.pgdata, "postmaster.pid"))?.split("\n");
  if (!lines) return null;
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  const command = readOrNull(`/proc/${pid}/comm`)?.trim();
  const live =
    isProcessAlive(pid) && (command === undefined || command === "postgres");
  return { pid, port: Number.isInteger(port) ? port : 0, live };
}

/** Live processes whose working folder is pgdata: postgres server processes chdir there (Linux /proc only). */
function serverProcessesIn(pgdata: string): number[] {
  let real: string;
  let entries: string[];
  try {
    real = realpathSync(pgdata);
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  return entries
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === real && isProcessAlive(pid);
      } catch {
        return false;
      }
    });
}

async function answers(password: string, port: number): Promise<boolean> {
  try {
    const client = await connectPostgres(
      clusterUrl(password, port, "postgres"),
      { timeoutMs: 2_000, ssl: false },
    );
    await client.query("SELECT 1");
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Initialises the cluster if needed, starts it on a free (or SSHUB_DB_PORT) port and returns the port. */
async function start(context: Context): Promise<number> {
  const { layout, user, binaries, log } = context;
  if (!existsSync(join(layout.pgdata, "PG_VERSION"))) await initialise(context);
  const password = readPassword(layout);
  if (password === null) {
    throw new ConfigurationError(
      `The database in ${layout.pgdata} has no ${layout.credentials}: restore that file, or move ${layout.dataDir} away to start afresh.`,
    );
  }
  const fixedPort = parsePortVariable();
  if (user) ensureOwnedLog(layout.logFile, user);
  const previous = Number(readOrNull(layout.lastPort)?.trim());
  for (let attempt = 1; ; attempt++) {
    const port =
      fixedPort ??
      (attempt === 1 && (await isPortFree(previous))
        ? previous
        : await freePort());
    if (fixedPort !== null) await assertPortFree(fixedPort);
    const logStart = sizeOf(layout.logFile);
    const result = await run(context, binaries.pgCtl, [
      "start",
      "-w",
      "-t",
      "60",
      "-D",
      layout.pgdata,
      "-l",
      layout.logFile,
      "-o",
      // pg_ctl passes this through /bin/sh, which turns '' into the empty value (no Unix sockets).
      `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=''`,
    ]);
    if (result.code === 0) {
      writeFileSync(layout.lastPort, `${port}\n`, { mode: 0o600 });
      log(
        `Started the embedded PostgreSQL on 127.0.0.1:${port} (data in ${layout.dataDir}).`,
      );
      await ensureDatabase(
        clusterUrl(password, port, "postgres"),
        EMBEDDED_DATABASE_NAME,
        { ssl: false },
      );
      return port;
    }
    const tail = readTail(layout.logFile, logStart);
    const lines =
      tail.length > 0
        ? tail
        : result.output.trim().split("\n").filter(Boolean).slice(-10);
    const portTaken = lines.some((line) =>
      /could not bind|Address already in use/i.test(line),
    );
    if (portTaken && fixedPort !== null)
      throw ConfigurationError.portInUse(fixedPort, "SSHUB_DB_PORT");
    // Another program took the free port between our probe and the bind: try another one.
    if (portTaken && attempt < 3) continue;
    throw DatabaseUnavailableError.embeddedStartFailed(layout.logFile, lines);
  }
}

/** First run: a random password in credentials.json (runner-only), then initdb. */
async function initialise(context: Context): Promise<void> {
  const { layout, user, binaries, log } = context;
  log(`Initialising the embedded PostgreSQL in ${layout.dataDir} (first run).`);
  let password = readPassword(layout);
  if (password === null) {
    password = randomBytes(24).toString("hex");
    const staging = `${layout.credentials}.tmp-${process.pid}`;
    writeFileSync(
      staging,
      `${JSON.stringify({ user: SUPERUSER, password }, null, 2)}\n`,
      { mode: 0o600 },
    );
    renameSync(staging, layout.credentials);
  }
  // No PG_VERSION: an interrupted earlier initdb may have left files behind; initdb wants an empty folder.
  rmSync(layout.pgdata, { recursive: true, force: true });
  mkdirSync(layout.pgdata, { mode: 0o700 });
  const passwordFile = join(layout.dataDir, `.initdb-password-${process.pid}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (user) {
      chownSync(layout.pgdata, user.uid, user.gid);
      chownSync(passwordFile, user.uid, user.gid);
    }
    const result = await run(context, binaries.initdb, [
      "-D",
      layout.pgdata,
      "-U",
      SUPERUSER,
      `--pwfile=${passwordFile}`,
      "-E",
      "UTF8",
      "--locale=C",
      "--auth-host=scram-sha-256",
      "--auth-local=scram-sha-256",
      "--no-instructions",
    ]);
    if (result.code !== 0) {
      const lines = result.output.trim().split("\n").filter(Boolean);
      throw new DatabaseUnavailableError(
        `Initialising the embedded PostgreSQL in ${layout.pgdata} failed: ${lines.slice(-3).join(" | ")}`,
        { output: lines },
      );
    }
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

async function releaseLease(context: Context): Promise<void> {
  const { layout, log } = context;
  // Someone removed the whole data folder (tests cleaning up, a user starting afresh): nothing is left to release.
  if (!existsSync(layout.leases)) {
    holders.delete(layout.dataDir);
    return;
  }
  await withFileLock(layout.lock, async () => {
    const count = (holders.get(layout.dataDir) ?? 0) - 1;
    if (count > 0) {
      holders.set(layout.dataDir, count);
      return;
    }
    holders.delete(layout.dataDir);
    rmSync(join(layout.leases, String(process.pid)), { force: true });
    if (liveLeases(layout) > 0) return;
    if (await stop(context))
      log(
        `Stopped the embedded PostgreSQL (data in ${layout.dataDir}): no process holds it any more.`,
      );
  });
}

/** Counts leases of live processes, deleting those of dead ones. */
function liveLeases(layout: Layout): number {
  let live = 0;
  for (const name of readdirSync(layout.leases)) {
    const path = join(layout.leases, name);
    const [pid, startTime] = (readOrNull(path) ?? "").trim().split(" ");
    if (pid === name && isProcessAlive(Number(pid), startTime)) live++;
    else rmSync(path, { force: true });
  }
  return live;
}

function writeLease(layout: Layout): void {
  const stamp = `${process.pid} ${processStartTime(process.pid) ?? ""}\n`;
  try {
    writeFileSync(join(layout.leases, String(process.pid)), stamp, {
      mode: 0o600,
    });
  } catch (error) {
    throw ConfigurationError.dataDirUnwritable(layout.dataDir, describe(error));
  }
}

/** `pg_ctl stop -m fast`, then immediate if that times out; resolves to whether it was running. */
async function stop(context: Context): Promise<boolean> {
  const { layout, binaries } = context;
  if (!readPostmaster(layout)?.live) return false;
  for (const mode of ["fast", "immediate"]) {
    const result = await run(context, binaries.pgCtl, [
      "stop",
      "-D",
      layout.pgdata,
      "-m",
      mode,
      "-w",
      "-t",
      "30",
    ]);
    if (result.code === 0 || !readPostmaster(layout)?.live) return true;
  }
  throw new DatabaseUnavailableError(
    `The embedded PostgreSQL in ${layout.dataDir} did not stop; see ${layout.logFile}.`,
  );
}

/** Runs a PostgreSQL program as the postgres OS user (under root) or as ourselves, collecting its output. */
function run(
  context: Context,
  file: string,
  args: string[],
): Promise<{ code: number | null; output: string }> {
  const { user, layout } = context;
  // A clean environment: PGDATA, PGPORT or a foreign locale in ours must not change what the programs do.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    LC_ALL: "C",
    LANG: "C",
  };
  if (process.env.TZ) env.TZ = process.env.TZ;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, {
      // The runner's cwd may be closed to the postgres user; the data folder is not.
      cwd: layout.dataDir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, output }));
  });
}

/** pg_ctl opens the log as the postgres user, which cannot create files in the runner-owned data folder. */
function ensureOwnedLog(logFile: string, user: OsUser): void {
  if (!existsSync(logFile)) writeFileSync(logFile, "", { mode: 0o640 });
  const stats = statSync(logFile);
  if (stats.uid !== user.uid) chownSync(logFile, user.uid, user.gid);
}

function clusterUrl(password: string, port: number, database: string): string {
  return `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

function readPassword(layout: Layout): string | null {
  const text = readOrNull(layout.credentials);
  if (text === null) return null;
  try {
    const password = (JSON.parse(text) as { password?: unknown }).password;
    return typeof password === "string" && password !== "" ? password : null;
  } catch {
    return null;
  }
}

function parsePortVariable(): number | null {
  const text = process.env.SSHUB_DB_PORT?.trim();
  if (!text) return null;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigurationError(
      `SSHUB_DB_PORT must be a port number from 1 to 65535, not "${text}".`,
    );
  }
  return port;
}

/** A port the OS reports free on 127.0.0.1 right now (bind to 0, read it, close). */
function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}

/** Whether port is a valid port nothing listens on at 127.0.0.1 right now. */
async function isPortFree(port: number): Promise<boolean> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return false;
  try {
    await assertPortFree(port);
    return true;
  } catch {
    return false;
  }
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE")
        reject(ConfigurationError.portInUse(port, "SSHUB_DB_PORT"));
      else
        reject(
          new ConfigurationError(
            `Cannot listen on port ${port} (${error.code}): set SSHUB_DB_PORT to another port.`,
          ),
        );
    });
    server.listen(port, "127.0.0.1", () =>
      server.close(() => resolvePromise()),
    );
  });
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The last lines written to path after byte offset `from` (this start attempt only). */
function readTail(path: string, from: number): string[] {
  try {
    const size = statSync(path).size;
    const start = Math.max(from, size - 16_384);
    const buffer = Buffer.alloc(Math.max(0, size - start));
    const fd = openSync(path, "r");
    try {
      readSync(fd, buffer, 0, buffer.length, start);
    } finally {
      closeSync(fd);
    }
    // Without the "2026-01-01 12:00:00.000 UTC [123] " prefix, the lines fit the one-line error.
    const prefix = /^\d{4}-\d\d-\d\d [\d:.]+ \S+ \[\d+\] /;
    return buffer
      .toString("utf8")
      .split("\n")
      .filter(Boolean)
      .slice(-10)
      .map((line) => line.replace(prefix, ""));
  } catch {
    return [];
  }
}

function nearestExisting(path: string): string {
  let dir = path;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOTDIR") return "a part of its path is a file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EROFS") return "read-only file system";
  return code ?? (error as Error).message;
}

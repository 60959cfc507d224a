import { spawn } from "node:child_process";
import { once } from "node:events";
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  onTestFinished,
  vi,
} from "vitest";

import { connectPostgres } from "../../db/connect-postgres.js";
import {
  ensureDatabase,
  openDatabase,
  resolveDataDir,
} from "../../db/database-url.js";
import {
  acquireEmbeddedDatabase,
  stopEmbeddedDatabase,
} from "../../db/embedded-postgres.js";
import { isProcessAlive } from "../../db/process-alive.js";
import {
  ConfigurationError,
  DatabaseUnavailableError,
} from "../../errors/hub-error.js";

const hooks = fileURLToPath(new URL("./ts-source-hooks.mjs", import.meta.url));
const childScript = fileURLToPath(
  new URL("./acquire-child.ts", import.meta.url),
);

let scratch: string;
/** One cluster shared by the tests that start and stop it: each leaves it stopped. */
let dataDir: string;
/** A cluster the error tests break on purpose. */
let brokenDir: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "sshub-db-test-"));
  chmodSync(scratch, 0o755);
  dataDir = mkdtempSync(join(tmpdir(), "sshub-db-cluster-"));
  brokenDir = mkdtempSync(join(tmpdir(), "sshub-db-broken-"));
});

afterEach(() => {
  vi.unstubAllEnvs();
});

afterAll(async () => {
  for (const dir of [dataDir, brokenDir]) {
    if (existsSync(join(dir, "pgdata")))
      await stopEmbeddedDatabase(dir).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
  rmSync(scratch, { recursive: true, force: true });
});

function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Whether a postmaster runs for dir (per its postmaster.pid). */
function clusterRuns(dir: string): boolean {
  const pidFile = join(dir, "pgdata", "postmaster.pid");
  if (!existsSync(pidFile)) return false;
  return isProcessAlive(Number(readFileSync(pidFile, "utf8").split("\n")[0]));
}

async function queryOne(
  url: string,
  sql: string,
): Promise<Record<string, unknown> | undefined> {
  const client = await connectPostgres(url);
  try {
    return (await client.query(sql)).rows[0];
  } finally {
    await client.end();
  }
}

/** A pid no process has any more: that of a child that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await once(child, "exit");
  return child.pid!;
}

describe("embedded PostgreSQL lifecycle", () => {
  it("starts a cluster, and a second acquire attaches to the same port", async () => {
    const lines: string[] = [];
    const first = await acquireEmbeddedDatabase({
      dataDir,
      log: (line) => lines.push(line),
    });
    const started = performance.now();
    const second = await acquireEmbeddedDatabase({
      dataDir,
      log: (line) => lines.push(line),
    });
    const attachMs = performance.now() - started;
    try {
      expect(first.embedded).toBe(true);
      expect(first.dataDir).toBe(dataDir);
      expect(first.url).toMatch(
        /^postgresql:\/\/postgres:[0-9a-f]+@127\.0\.0\.1:\d+\/sshub$/,
      );
      expect(portOf(second.url)).toBe(portOf(first.url));
      expect(attachMs).toBeLessThan(1_000);
      expect(
        await queryOne(second.url, "SELECT current_database() AS db"),
      ).toEqual({ db: "sshub" });
      expect(lines.some((line) => line.startsWith("Attached"))).toBe(true);
      expect(readdirSync(join(dataDir, "leases"))).toEqual([
        String(process.pid),
      ]);
      const credentials = join(dataDir, "credentials.json");
      expect(readFileSync(credentials, "utf8")).toContain(
        new URL(first.url).password,
      );
    } finally {
      await first.release();
      await second.release();
    }
  });

  it("keeps data across a stop and start", async () => {
    const first = await acquireEmbeddedDatabase({ dataDir });
    await queryOne(first.url, "CREATE TABLE kept (note text)");
    await queryOne(first.url, "INSERT INTO kept VALUES ('still here')");
    await first.release();
    expect(clusterRuns(dataDir)).toBe(false);

    const lines: string[] = [];
    const again = await acquireEmbeddedDatabase({
      dataDir,
      log: (line) => lines.push(line),
    });
    try {
      expect(lines.some((line) => line.startsWith("Initialising"))).toBe(false);
      expect(await queryOne(again.url, "SELECT note FROM kept")).toEqual({
        note: "still here",
      });
    } finally {
      await again.release();
    }
  });

  it("stops the cluster only when the last holder releases", async () => {
    const first = await acquireEmbeddedDatabase({ dataDir });
    const second = await acquireEmbeddedDatabase({ dataDir });
    // Twice at once, as a signal handler racing normal shutdown would: counts once.
    await Promise.all([first.release(), first.release()]);
    expect(clusterRuns(dataDir)).toBe(true);
    expect(await queryOne(second.url, "SELECT 1 AS one")).toEqual({ one: 1 });

    await second.release();
    expect(clusterRuns(dataDir)).toBe(false);
    expect(readdirSync(join(dataDir, "leases"))).toEqual([]);
    await second.release();
  });

  it("removes leases of dead processes and stops", async () => {
    const handle = await acquireEmbeddedDatabase({ dataDir });
    const pid = await deadPid();
    writeFileSync(join(dataDir, "leases", String(pid)), `${pid} 1\n`);

    await handle.release();
    expect(readdirSync(join(dataDir, "leases"))).toEqual([]);
    expect(clusterRuns(dataDir)).toBe(false);
  });

  it("shares the cluster with a second process, which leaves it running when it releases", async () => {
    const holder = await acquireEmbeddedDatabase({ dataDir });
    try {
      const child = spawn(
        process.execPath,
        [
          "--experimental-transform-types",
          "--no-warnings",
          "--import",
          hooks,
          childScript,
          dataDir,
        ],
        { stdio: ["pipe", "pipe", "inherit"] },
      );
      onTestFinished(() => void child.kill());
      const exited = once(child, "exit");
      const lines = createInterface({ input: child.stdout })[
        Symbol.asyncIterator
      ]();
      const attached = JSON.parse(String((await lines.next()).value)) as {
        port: number;
        pid: number;
      };
      expect(attached.port).toBe(portOf(holder.url));
      expect(readdirSync(join(dataDir, "leases")).sort()).toEqual(
        [String(child.pid), String(process.pid)].sort(),
      );

      child.stdin.end("release\n");
      expect(JSON.parse(String((await lines.next()).value))).toEqual({
        released: true,
      });
      expect((await exited)[0]).toBe(0);

      expect(readdirSync(join(dataDir, "leases"))).toEqual([
        String(process.pid),
      ]);
      expect(await queryOne(holder.url, "SELECT 1 AS one")).toEqual({ one: 1 });
    } finally {
      await holder.release();
    }
    expect(clusterRuns(dataDir)).toBe(false);
  });

  it("force-stops a cluster that others still hold", async () => {
    const handle = await acquireEmbeddedDatabase({ dataDir });
    expect(await stopEmbeddedDatabase(dataDir)).toBe(true);
    expect(clusterRuns(dataDir)).toBe(false);
    expect(readdirSync(join(dataDir, "leases"))).toEqual([]);
    await handle.release(); // nothing left to do, and no error
    expect(await stopEmbeddedDatabase(dataDir)).toBe(false);
  });
});

describe("embedded PostgreSQL errors", () => {
  it("refuses an unwritable data folder with one clear line", async () => {
    const file = join(scratch, "a-file");
    writeFileSync(file, "");
    const cases = [join(file, "data")];
    if (process.getuid?.() === 0) {
      // Root may write anywhere, but the postgres OS user cannot enter a 700 folder of root's.
      const closed = mkdtempSync(join(scratch, "closed-"));
      chmodSync(closed, 0o700);
      cases.push(join(closed, "data"));
    } else {
      const readOnly = mkdtempSync(join(scratch, "read-only-"));
      chmodSync(readOnly, 0o500);
      cases.push(join(readOnly, "data"));
    }
    for (const chosen of cases) {
      const error = await acquireEmbeddedDatabase({ dataDir: chosen }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ConfigurationError);
      const message = (error as Error).message;
      expect(message).not.toContain("\n");
      expect(message).toContain(chosen);
      expect(message).toContain("set SSHUB_DATA_DIR to a writable folder");
      expect(existsSync(chosen)).toBe(false);
    }
  });

  it("refuses a taken SSHUB_DB_PORT with one clear line", async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) =>
      server.listen(0, "127.0.0.1", resolve),
    );
    const port = (server.address() as { port: number }).port;
    vi.stubEnv("SSHUB_DB_PORT", String(port));
    try {
      const error = await acquireEmbeddedDatabase({ dataDir }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toBe(
        ConfigurationError.portInUse(port, "SSHUB_DB_PORT").message,
      );
      expect(clusterRuns(dataDir)).toBe(false);
    } finally {
      server.close();
    }
  });

  it("reports a cluster that fails to start with the end of its log", async () => {
    const broken = brokenDir;
    await (await acquireEmbeddedDatabase({ dataDir: broken })).release();
    appendFileSync(
      join(broken, "pgdata", "postgresql.conf"),
      "\nshared_buffers = 'plenty'\n",
    );
    const error = await acquireEmbeddedDatabase({ dataDir: broken }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toContain("shared_buffers");
    expect((error as Error).message).not.toContain("\n");
    expect(readdirSync(join(broken, "leases"))).toEqual([]);
  });
});

describe("openDatabase", () => {
  it("openDatabase uses DATABASE_URL when set", async () => {
    vi.stubEnv(
      "DATABASE_URL",
      "postgresql://someone:secret@db.example:5432/hub",
    );
    const handle = await openDatabase({
      dataDir: join(scratch, "never-created"),
    });
    expect(handle).toMatchObject({
      url: "postgresql://someone:secret@db.example:5432/hub",
      embedded: false,
      dataDir: null,
    });
    await handle.release();
    expect(existsSync(join(scratch, "never-created"))).toBe(false);
  });

  it("openDatabase uses SSHUB_DATA_DIR, and ensureDatabase creates a database once", async () => {
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("SSHUB_DATA_DIR", dataDir);
    expect(resolveDataDir()).toBe(dataDir);
    const handle = await openDatabase();
    try {
      expect(handle.dataDir).toBe(dataDir);
      const url = await ensureDatabase(handle.url, "sshub_extra");
      expect(await ensureDatabase(handle.url, "sshub_extra")).toBe(url);
      expect(await queryOne(url, "SELECT current_database() AS db")).toEqual({
        db: "sshub_extra",
      });
    } finally {
      await handle.release();
    }
  });
});

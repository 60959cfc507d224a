import {
  execFile,
  spawn,
  spawnSync,
  type ChildProcess,
} from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The built CLI (`bin/sshub.js` → `dist/`), which `npm test` rebuilds first (pretest). */
export const SSHUB_BIN = fileURLToPath(
  new URL("../../bin/sshub.js", import.meta.url),
);

/**
 * Runs `sshub args` to its end on the database at `databaseUrl` ("" for the embedded one), with `env`
 * added, returning what it printed and its exit status; killed after `timeoutMs`.
 */
export function runSshub(
  args: string[],
  databaseUrl: string,
  env: Record<string, string> = {},
  timeoutMs = 120_000,
) {
  return spawnSync(process.execPath, [SSHUB_BIN, ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
    encoding: "utf8",
    timeout: timeoutMs,
  });
}

/**
 * `runSshub` without blocking this process's event loop while the command runs: for tests that talk to
 * a server of their own meanwhile (a blocked loop misses the server closing idle keep-alive sockets,
 * and the next request goes out on a closed one). Killed after `timeoutMs` (its status is then null).
 */
export function runSshubInBackground(
  args: string[],
  databaseUrl: string,
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [SSHUB_BIN, ...args],
      {
        env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
        encoding: "utf8",
        timeout: timeoutMs,
      },
      (_error, stdout, stderr) =>
        resolve({ status: child.exitCode, stdout, stderr }),
    );
  });
}

/** pid and port of an embedded cluster's postmaster (data folder `dataDir`), from its postmaster.pid. */
export function postmaster(dataDir: string): { pid: number; port: number } {
  const lines = readFileSync(
    join(dataDir, "pgdata", "postmaster.pid"),
    "utf8",
  ).split("\n");
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

/** A free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** A running `sshub` process. */
export interface SshubProcess {
  child: ChildProcess;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** Resolves with its exit code once it has exited. */
  exited: Promise<number | null>;
  /** Resolves once its stderr holds `text` (rejects if it exits first, or after `timeoutMs`). */
  waitForStderr(text: string, timeoutMs?: number): Promise<void>;
}

/** Starts `sshub args` with `env` added, resolving once its stdout says `ready`. */
export function startSshub(
  args: string[],
  env: Record<string, string>,
  ready: string,
): Promise<SshubProcess> {
  return startNode([SSHUB_BIN, ...args], env, ready);
}

/** Starts `node args` (a script of the test's own, or the CLI) with `env` added, resolving once its stdout says `ready`. */
export async function startNode(
  args: string[],
  env: Record<string, string>,
  ready: string,
): Promise<SshubProcess> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  const waiters = new Set<() => void>();
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const check of waiters) check();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      for (const check of waiters) check();
      resolve(code);
    }),
  );
  const waitForStderr = (text: string, timeoutMs = 120_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no "${text}" on stderr: ${stderr}`));
      }, timeoutMs);
      const check = () => {
        if (stderr.includes(text)) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          waiters.delete(check);
          reject(new Error(`exited before "${text}": ${stderr}`));
        }
      };
      waiters.add(check);
      check();
    });
  await new Promise<void>((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes(ready)) resolve();
    });
    child.on("exit", (code) =>
      reject(
        new Error(
          `node ${args.slice(0, 2).join(" ")} exited early (${code}): ${stderr}`,
        ),
      ),
    );
  });
  return { child, stderr: () => stderr, exited, waitForStderr };
}

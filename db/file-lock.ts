import {
  closeSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

import { DatabaseUnavailableError } from "../errors/hub-error.js";
import { isProcessAlive, processStartTime } from "./process-alive.js";

/** How long withFileLock waits for a live holder by default: longer than a first init and start. */
const DEFAULT_TIMEOUT_MS = 90_000;
/** A lock file with no pid yet is only trusted this long (its creator may have died before writing). */
const EMPTY_LOCK_GRACE_MS = 2_000;

// Callers in one process queue here first, so they do not poll the file against each other.
const inProcessQueues = new Map<string, Promise<void>>();

/**
 * Runs fn while holding the lock file lockPath: created with O_EXCL and holding "<pid> <start
 * time>", stolen when its holder is dead, otherwise waited for up to timeoutMs.
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  const previous = inProcessQueues.get(lockPath) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  const tail = previous.then(() => mine);
  inProcessQueues.set(lockPath, tail);
  await previous;
  try {
    const stamp = await acquireLockFile(
      lockPath,
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    try {
      return await fn();
    } finally {
      if (readOrNull(lockPath) === stamp) unlinkQuietly(lockPath);
    }
  } finally {
    done();
    if (inProcessQueues.get(lockPath) === tail)
      inProcessQueues.delete(lockPath);
  }
}

async function acquireLockFile(
  lockPath: string,
  timeoutMs: number,
): Promise<string> {
  const stamp = `${process.pid} ${processStartTime(process.pid) ?? ""}\n`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lockPath, "wx", 0o600);
      try {
        writeSync(fd, stamp);
      } finally {
        closeSync(fd);
      }
      return stamp;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const content = readOrNull(lockPath);
    if (content === null) continue; // released between our open and read
    const [pidText, startTime] = content.trim().split(" ");
    const pid = Number(pidText);
    const stale =
      content.trim() === ""
        ? ageMs(lockPath) > EMPTY_LOCK_GRACE_MS
        : !isProcessAlive(pid, startTime) || content === stamp; // our own stamp: left by a failed unlock
    if (stale) {
      // Re-read right before unlinking, so we do not remove a lock someone else just took over.
      if (readOrNull(lockPath) === content) unlinkQuietly(lockPath);
      continue;
    }
    if (Date.now() > deadline) {
      throw new DatabaseUnavailableError(
        `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${lockPath}, held by process ${pidText}: wait for it to finish, or stop it.`,
        { lockPath, pid },
      );
    }
    await sleep(25 + Math.random() * 50);
  }
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to undo.
  }
}

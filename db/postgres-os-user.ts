import { execFileSync } from "node:child_process";
import { readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

import { ConfigurationError } from "../errors/hub-error.js";

/** An OS account to run PostgreSQL as. */
export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

/** Permission bits, as in `chmod`: combine with `|`. */
export const Access = { read: 4, write: 2, execute: 1 } as const;

/**
 * The account PostgreSQL must run as: null when the runner is not root (run as the current user);
 * under root the `postgres` user, created on first use, because PostgreSQL refuses to run as root.
 */
export function postgresOsUser(): OsUser | null {
  if (process.getuid?.() !== 0) return null;
  const existing = lookupUser("postgres");
  if (existing) return existing;
  try {
    execFileSync(
      "useradd",
      [
        "--system",
        "--user-group",
        "--no-create-home",
        "--shell",
        "/usr/sbin/nologin",
        "postgres",
      ],
      { stdio: "pipe" },
    );
  } catch (error) {
    // Another process may have created it at the same time; only fail if it is still missing.
    const created = lookupUser("postgres");
    if (created) return created;
    const reason = String(
      (error as { stderr?: Buffer }).stderr ?? (error as Error).message,
    ).trim();
    throw new ConfigurationError(
      `PostgreSQL refuses to run as root and the postgres OS user could not be created (${reason.split("\n")[0]}): create it with "useradd --system --user-group postgres", or run as a regular user.`,
    );
  }
  const created = lookupUser("postgres");
  if (!created)
    throw new ConfigurationError(
      "useradd reported success but the postgres OS user is still missing.",
    );
  return created;
}

/**
 * The first path on the way to target that user cannot pass (every ancestor needs execute, target
 * itself the `need` bits), or null when user gets through. Reads mode bits only (no ACLs), and uses
 * the primary group only, because Node drops supplementary groups when spawning with { uid, gid }.
 */
export function blockedPathFor(
  target: string,
  user: OsUser,
  need: number,
): string | null {
  if (user.uid === 0) return null;
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    return resolve(target);
  }
  // Check the path as written (symlinks included) and as resolved: the kernel walks both.
  for (const path of new Set([resolve(target), real])) {
    const chain: string[] = [];
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      chain.unshift(dir);
      if (dirname(dir) === dir) break;
    }
    for (const dir of chain)
      if (!allowed(dir, user, Access.execute)) return dir;
    if (!allowed(path, user, need)) return path;
  }
  return null;
}

function allowed(path: string, user: OsUser, need: number): boolean {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return false;
  }
  const shift = stats.uid === user.uid ? 6 : stats.gid === user.gid ? 3 : 0;
  return ((stats.mode >> shift) & need) === need;
}

function lookupUser(name: string): OsUser | null {
  // /etc/passwd first (no process to spawn); `id` also sees NSS/LDAP accounts.
  try {
    for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
      const [login, , uid, gid] = line.split(":");
      if (login === name && uid && gid)
        return { name, uid: Number(uid), gid: Number(gid) };
    }
  } catch {
    // No readable /etc/passwd: ask `id`.
  }
  try {
    const uid = Number(
      execFileSync("id", ["-u", name], { stdio: "pipe" }).toString().trim(),
    );
    const gid = Number(
      execFileSync("id", ["-g", name], { stdio: "pipe" }).toString().trim(),
    );
    return Number.isInteger(uid) && Number.isInteger(gid)
      ? { name, uid, gid }
      : null;
  } catch {
    return null;
  }
}

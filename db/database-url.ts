import { createHash } from "node:crypto";
import { chmodSync, lstatSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import {
  acquireEmbeddedDatabase,
  type DatabaseHandle,
} from "./embedded-postgres.js";
import { Access, blockedPathFor, postgresOsUser } from "./postgres-os-user.js";
import { findProjectRoot } from "./project-root.js";

export { ensureDatabase, withDatabaseName } from "./ensure-database.js";

/** Where the database comes from when DATABASE_URL is unset, and where progress lines go. */
export interface OpenDatabaseOptions {
  dataDir?: string;
  log?: (line: string) => void;
}

/** Parents for the data folder when root runs from a checkout the postgres OS user cannot enter. */
const FALLBACK_ROOTS = ["/var/lib/sshub", join(tmpdir(), "sshub-data")];

/**
 * The hub's database: DATABASE_URL when set (release() does nothing), else the shared embedded
 * cluster in resolveDataDir(options), whose URL points at the `sshub` database.
 */
export async function openDatabase(
  options: OpenDatabaseOptions = {},
): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL?.trim();
  if (url)
    return { url, embedded: false, dataDir: null, release: async () => {} };
  return acquireEmbeddedDatabase({
    dataDir: resolveDataDir(options),
    log: options.log,
  });
}

/**
 * The embedded cluster's data folder: options.dataDir, else SSHUB_DATA_DIR, else
 * `<project root>/.sshub`. Under root, when the postgres OS user cannot enter the project folder
 * (a checkout under /root), the default moves to `/var/lib/sshub/<hash of the project root>`
 * (logged once); an explicit folder is never moved, acquiring it fails with a clear error instead.
 */
export function resolveDataDir(options: OpenDatabaseOptions = {}): string {
  const explicit =
    options.dataDir ?? (process.env.SSHUB_DATA_DIR?.trim() || undefined);
  if (explicit) return resolve(explicit);
  const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
  const preferred = join(projectRoot, ".sshub");
  const user = postgresOsUser();
  if (!user || blockedPathFor(projectRoot, user, Access.execute) === null)
    return preferred;
  const name = createHash("sha256")
    .update(projectRoot)
    .digest("hex")
    .slice(0, 12);
  for (const root of FALLBACK_ROOTS) {
    try {
      mkdirSync(root, { recursive: true, mode: 0o711 });
      const stats = lstatSync(root);
      // Only a root-owned parent nobody else can write to: credentials.json will live below it.
      if (!stats.isDirectory() || stats.uid !== 0 || (stats.mode & 0o022) !== 0)
        continue;
      chmodSync(root, (stats.mode & 0o7777) | 0o711);
      if (blockedPathFor(root, user, Access.execute) !== null) continue;
    } catch {
      continue;
    }
    const dataDir = join(root, name);
    options.log?.(
      `The postgres OS user cannot enter ${projectRoot}, so the embedded database lives in ${dataDir} (set SSHUB_DATA_DIR to choose another folder).`,
    );
    return dataDir;
  }
  return preferred; // acquiring it then fails with the error that says what to do
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../db/database-url.js";
import { loadCouncilRegister } from "../db/load-council-register.js";
import { migrate, openOrm } from "../db/open-orm.js";
import { CouncilRegister } from "../register/resolve-council.js";
import {
  adminConnection,
  databaseUrl,
  TEMPLATE_DATABASE,
} from "./support/database-urls.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the test cluster's template database: migrated, with the council register loaded. */
    templateDatabaseUrl: string;
  }
}

/**
 * Once per run: a real PostgreSQL (DATABASE_URL, or an embedded cluster in a temporary folder) and a
 * template database with every migration applied and the register loaded. Each test file then
 * copies the template (CREATE DATABASE … TEMPLATE), which takes milliseconds.
 */
export async function setup(
  project: TestProject,
): Promise<() => Promise<void>> {
  const dataDir = process.env.DATABASE_URL
    ? undefined
    : mkdtempSync(join(tmpdir(), "sshub-test-"));
  const handle = await openDatabase({
    ...(dataDir ? { dataDir } : {}),
    log: () => undefined,
  });
  const templateUrl = databaseUrl(handle.url, TEMPLATE_DATABASE);
  await adminConnection(handle.url, async (client) => {
    // The run's own cluster, deleted at its end: no test needs a commit to survive a power cut
    // (the crash tests kill clusters of their own), so a commit does not wait for the disk
    // (2-4 ms each, and a dropped database's 300 ms, down to under 1 ms and 40 ms).
    if (dataDir) {
      for (const setting of [
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
      ])
        await client.query(`alter system set ${setting}`);
      await client.query("select pg_reload_conf()");
    }
    await client.query(
      `drop database if exists ${TEMPLATE_DATABASE} with (force)`,
    );
    await client.query(`create database ${TEMPLATE_DATABASE}`);
  });
  const orm = await openOrm(templateUrl);
  try {
    await migrate(orm);
    await loadCouncilRegister(orm.em.fork(), CouncilRegister.default().records);
  } finally {
    await orm.close();
  }
  project.provide("templateDatabaseUrl", templateUrl);
  return async () => {
    await handle.release();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}

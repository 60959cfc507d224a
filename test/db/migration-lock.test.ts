import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { migrate, openOrm } from "../../db/open-orm.js";
import { migrations } from "../../migrations/index.js";
import { adminConnection, databaseUrl } from "../support/database-urls.js";
import { runSshubInBackground } from "../support/sshub-process.js";

// The built CLI (`npm test` builds first): two real processes, as two hub instances starting at once.
const templateUrl = inject("templateDatabaseUrl");
const names = [1, 2].map(
  () => `sshub_migration_lock_${randomBytes(6).toString("hex")}`,
);

beforeAll(() =>
  adminConnection(templateUrl, async (client) => {
    for (const name of names) await client.query(`create database ${name}`);
  }),
);
afterAll(() =>
  adminConnection(templateUrl, async (client) => {
    for (const name of names)
      await client.query(`drop database if exists ${name} with (force)`);
  }),
);

async function appliedNames(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "select name from mikro_orm_migrations order by id",
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

it("lets two migrators started in the same instant on a fresh database apply each migration once", async () => {
  const url = databaseUrl(templateUrl, names[0]!);
  const orms = await Promise.all([openOrm(url), openOrm(url)]);
  try {
    const applied = await Promise.all(orms.map((orm) => migrate(orm)));
    expect(applied.map((names) => names.length).sort()).toEqual([
      0,
      migrations.length,
    ]);
    expect(await appliedNames(url)).toEqual(migrations.map((m) => m.name));
  } finally {
    await Promise.all(orms.map((orm) => orm.close()));
  }
});

async function sshubMigrate(
  url: string,
): Promise<{ code: number | null; out: string }> {
  const { status, stdout, stderr } = await runSshubInBackground(
    ["migrate"],
    url,
  );
  return { code: status, out: stdout + stderr };
}

it("runs the migrations once when two sshub processes migrate a fresh database at once", async () => {
  const url = databaseUrl(templateUrl, names[1]!);
  const results = await Promise.all([sshubMigrate(url), sshubMigrate(url)]);
  expect(
    results.map((r) => r.code),
    results.map((r) => r.out).join("\n"),
  ).toEqual([0, 0]);
  const outputs = results.map((r) => r.out).sort();
  expect(outputs[0]).toContain(`Applied ${migrations.length} migration(s)`);
  expect(outputs[1]).toContain("The database is up to date.");
  expect(await appliedNames(url)).toEqual(migrations.map((m) => m.name));
});

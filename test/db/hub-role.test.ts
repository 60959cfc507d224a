import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { hubRoleGrants } from "../../db/hub-role-grants.js";
import { sampleWorkbookPaths } from "../../importers/import-sample-data.js";
import { startHubProcess } from "../support/hub-process.js";
import { runSshub } from "../support/sshub-process.js";
import { useTestDatabase } from "../support/test-database.js";

// The built CLI (`npm test` builds first), run as a role that is no superuser and owns nothing.
const role = `sshub_app_${randomBytes(4).toString("hex")}`;
const password = randomBytes(12).toString("hex");
// Registered before the database's own afterAll, so that it runs after it (vitest runs them in
// reverse): the role can be dropped only once the database holding its grants is gone.
afterAll(async () => {
  const client = new pg.Client({
    connectionString: db.url.replace(/\/[^/]*$/, "/postgres"),
  });
  await client.connect();
  await client.query(`drop role if exists ${role}`);
  await client.end();
});
const db = useTestDatabase();
let roleUrl: string;

async function asRole<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: roleUrl });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  const connection = db.orm.em.getConnection();
  const [names] = await connection.execute<
    { owner: string; database: string }[]
  >("select current_user as owner, current_database() as database");
  const { owner, database } = names!;
  await connection.execute(
    `create role ${role} login password '${password}' nosuperuser nocreatedb nocreaterole`,
  );
  for (const statement of hubRoleGrants(role, database, owner))
    await connection.execute(statement);
  const url = new URL(db.url);
  url.username = role;
  url.password = password;
  roleUrl = url.toString();
});

it("is a role that may not switch off foreign-key checks", async () => {
  expect(
    await asRole(async (client) => {
      const { rows } = await client.query<{ superuser: boolean; may: boolean }>(
        `select rolsuper as superuser, has_parameter_privilege('session_replication_role', 'SET') as may
           from pg_roles where rolname = current_user`,
      );
      return rows[0];
    }),
  ).toEqual({ superuser: false, may: false });
});

it("imports every sample workbook, and serves them, with only the documented grants", async () => {
  const imported = runSshub(["import", ...sampleWorkbookPaths()], roleUrl);
  expect(imported.status, imported.stderr + imported.stdout).toBe(0);
  const figures = await asRole(async (client) =>
    Number(
      (
        await client.query<{ n: string }>(
          "select count(*) as n from savings_figure",
        )
      ).rows[0]!.n,
    ),
  );
  expect(figures).toBeGreaterThan(0);
  const hub = await startHubProcess(roleUrl);
  try {
    const response = await fetch(`${hub.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: "{ savings(first: 1) { totalCount } }",
      }),
    });
    const body = (await response.json()) as {
      data?: { savings: { totalCount: number } };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    // The latest report of each figure: at least one, at most every row stored.
    expect(body.data!.savings.totalCount).toBeGreaterThan(0);
    expect(body.data!.savings.totalCount).toBeLessThanOrEqual(figures);
    expect((await fetch(`${hub.base}/readyz`)).status).toBe(200);
  } finally {
    expect(await hub.stop()).toBe(0);
  }
}, 180_000);

it("queues an upload, its bytes in chunks, and runs it through a hub's worker, as that role", async () => {
  const file = join(
    mkdtempSync(join(tmpdir(), "sshub-hub-role-")),
    "queued-2012-04.csv",
  );
  writeFileSync(
    file,
    "Savings tracker\r\nPeriod:,April 2012\r\nPartnership:,Derbyshire RCE Shared Services\r\n" +
      'Workstream,Financial year,Measure,Amount (£)\r\nProcurement 4,2011/12,Achieved,"£4,000"\r\n',
  );
  const queued = runSshub(["import", "--queue", file], roleUrl);
  expect(queued.status, queued.stderr + queued.stdout).toBe(0);
  const id = queued.stdout.trim().split(" ")[0]!;
  const job = () =>
    asRole(async (client) => {
      const { rows } = await client.query<{ state: string; chunks: number }>(
        `select state, (select count(*)::int from import_job_chunk where job_id = j.id) as chunks
           from import_job j where id = $1`,
        [id],
      );
      return rows[0];
    });
  // Waiting: no worker runs yet, and its bytes are stored.
  expect(await job()).toEqual({ state: "QUEUED", chunks: 1 });
  const hub = await startHubProcess(roleUrl);
  try {
    let seen = await job();
    for (
      let i = 0;
      i < 300 && ["QUEUED", "RUNNING"].includes(seen!.state);
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen = await job();
    }
    expect(seen).toEqual({ state: "IMPORTED", chunks: 0 });
    const amount = await asRole(
      async (client) =>
        (
          await client.query<{ n: string }>(
            `select count(*) as n from savings_figure f join service s on s.id = f.service_id where s.name = 'Procurement 4'`,
          )
        ).rows[0]!.n,
    );
    expect(Number(amount)).toBe(1);
  } finally {
    expect(await hub.stop()).toBe(0);
  }
}, 180_000);

import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportRun } from "../../schema/import-run.js";
import { Role } from "../../schema/role.js";
import { callerWith } from "../support/callers.js";
import { startTestHttp, type TestHttp } from "../support/http.js";
import {
  createTestDatabase,
  type TestDatabase,
} from "../support/test-database.js";

let db: TestDatabase;
let http: TestHttp;
const workbook = readFileSync(
  new URL(
    "../../fixtures/samples/02-derbyshire-rce-workstreams.xlsx",
    import.meta.url,
  ),
);

beforeAll(async () => {
  db = await createTestDatabase();
  http = await startTestHttp(db.orm, {
    callerFor: async () => callerWith(Role.ANALYST),
  });
});
afterAll(async () => {
  await http.close();
  await db.drop();
});

function post(body: FormData | string, headers: Record<string, string> = {}) {
  return fetch(`${http.base}/imports`, { method: "POST", body, headers });
}

describe("POST /imports refuses bad requests with a clear message and writes nothing", () => {
  it("answers 405 to anything but POST", async () => {
    const response = await fetch(`${http.base}/imports`);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("answers 415 when the body is not multipart/form-data", async () => {
    const response = await post("not a form", { "content-type": "text/plain" });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({
      error: expect.stringContaining('"file"'),
    });
  });

  it('answers 400 when the form has no "file" field', async () => {
    const form = new FormData();
    form.set("period", "2010-06");
    const response = await post(form);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: expect.stringContaining('no "file" field'),
    });
  });

  it("answers 400 BAD_USER_INPUT for a period not written YYYY-MM, before any import run is recorded", async () => {
    const before = await db.orm.em.fork().count(ImportRun);
    const form = new FormData();
    form.set("file", new Blob([workbook]), "derbyshire.xlsx");
    form.set("period", "June");
    const response = await post(form);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: "BAD_USER_INPUT",
      error: expect.stringContaining('"June"'),
    });
    expect(await db.orm.em.fork().count(ImportRun)).toBe(before);
  });

  it("answers 422 with the report when the workbook is refused, naming the file", async () => {
    const form = new FormData();
    form.set("file", new Blob(["not a workbook"]), "notes.xlsx");
    const response = await post(form);
    expect(response.status).toBe(422);
    const report = (await response.json()) as {
      status: string;
      problems: { code: string; message: string }[];
    };
    expect(report.status).toBe("REFUSED");
    expect(report.problems[0]).toMatchObject({
      code: "unreadable-file",
      message: expect.stringContaining("notes.xlsx"),
    });
  });
});

import { afterAll, beforeAll, expect, it } from "vitest";
import {
  createTestDatabase,
  type TestDatabase,
} from "../support/test-database.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

it("the committed migrations build exactly the schema the entities describe", async () => {
  const diff = await db.orm.schema.getUpdateSchemaSQL({ wrap: false });
  expect(diff.trim()).toBe("");
});

it("every committed migration is applied and none is pending", async () => {
  expect(await db.orm.migrator.getPending()).toEqual([]);
  expect((await db.orm.migrator.getExecuted()).length).toBeGreaterThan(0);
});

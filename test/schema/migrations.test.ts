import type { MikroORM } from "@mikro-orm/postgresql";
import { Entity, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { migrate, openOrm } from "../../db/open-orm.js";
import { migrations } from "../../migrations/index.js";
import { entities } from "../../schema/entities.js";
import { adminConnection, databaseUrl } from "../support/database-urls.js";

// An empty database built from the committed migrations alone: not the test template, which global
// setup migrated with the same code (so "nothing pending" there could never fail).
const name = `sshub_migrations_${randomBytes(6).toString("hex")}`;
const templateUrl = inject("templateDatabaseUrl");
const url = databaseUrl(templateUrl, name);
let orm: MikroORM;
let applied: string[];
beforeAll(async () => {
  await adminConnection(templateUrl, (client) =>
    client.query(`create database ${name}`),
  );
  orm = await openOrm(url);
  applied = await migrate(orm);
});
afterAll(async () => {
  await orm?.close();
  await adminConnection(templateUrl, (client) =>
    client.query(`drop database if exists ${name} with (force)`),
  );
});

/** An entity no migration creates: what a schema change committed without its migration looks like. */
@Entity({ tableName: "entity_without_migration" })
class EntityWithoutMigration {
  @PrimaryKey({ type: "integer" })
  id!: number;

  @Property({ type: "text" })
  label!: string;
}

it("applies every committed migration, in order, to an empty database", () => {
  expect(applied).toEqual(migrations.map((m) => m.name));
});

it("the committed migrations build exactly the schema the entities describe", async () => {
  const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
  expect(diff.trim()).toBe("");
});

it("finds an entity that changed without a migration", async () => {
  const changed = await openOrm(url, {
    entities: [...entities, EntityWithoutMigration],
  });
  try {
    const diff = await changed.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff).toMatch(/create table "entity_without_migration"/);
  } finally {
    await changed.close();
  }
});

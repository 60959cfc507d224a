import type { MikroORM } from "@mikro-orm/postgresql";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import { openOrm } from "../../db/open-orm.js";
import {
  adminConnection,
  databaseUrl,
  TEMPLATE_DATABASE,
} from "./database-urls.js";

/** A test's own database: a copy of the migrated template, every statement the ORM runs logged. */
export interface TestDatabase {
  url: string;
  orm: MikroORM;
  /** SQL statements run through the ORM since the last `resetQueryLog()`. */
  queries: string[];
  resetQueryLog(): void;
}

/** A database made by createTestDatabase, dropped by whoever made it. */
export interface CreatedTestDatabase extends TestDatabase {
  drop(): Promise<void>;
}

/** Copies the template database into a new one and connects MikroORM to it, logging every statement. */
export async function createTestDatabase(): Promise<CreatedTestDatabase> {
  const templateUrl = inject("templateDatabaseUrl");
  const name = `sshub_test_${randomBytes(6).toString("hex")}`;
  await adminConnection(templateUrl, (client) =>
    client.query(`create database ${name} template ${TEMPLATE_DATABASE}`),
  );
  const url = databaseUrl(templateUrl, name);
  const queries: string[] = [];
  const orm = await openOrm(url, {
    debug: ["query"],
    logger: (message: string) => {
      const sql = message.replace(/^\[query\]\s*/, "");
      queries.push(sql);
    },
  });
  return {
    url,
    orm,
    queries,
    resetQueryLog: () => void (queries.length = 0),
    async drop() {
      await orm.close();
      await adminConnection(templateUrl, (client) =>
        client.query(`drop database if exists ${name} with (force)`),
      );
    },
  };
}

/**
 * Gives the calling test file (or describe block) its own database: created in a beforeAll registered
 * here, so call it before the hooks that use it; dropped in an afterAll that, registered first, runs
 * after the caller's own (vitest runs afterAll hooks in reverse). Its fields throw until it exists.
 */
export function useTestDatabase(): TestDatabase {
  let created: CreatedTestDatabase | undefined;
  beforeAll(async () => {
    created = await createTestDatabase();
  });
  afterAll(async () => {
    await created?.drop();
  });
  const current = (): CreatedTestDatabase => {
    if (!created)
      throw new Error(
        "useTestDatabase(): the database is made in beforeAll; it was used before (or its creation failed)",
      );
    return created;
  };
  return {
    get url() {
      return current().url;
    },
    get orm() {
      return current().orm;
    },
    get queries() {
      return current().queries;
    },
    resetQueryLog: () => current().resetQueryLog(),
  };
}

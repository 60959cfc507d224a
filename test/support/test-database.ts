import type { MikroORM } from "@mikro-orm/postgresql";
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { openOrm } from "../../db/open-orm.js";
import {
  adminConnection,
  databaseUrl,
  TEMPLATE_DATABASE,
} from "./database-urls.js";

/** A fresh database for one test file: a copy of the migrated template, dropped by `drop()`. */
export interface TestDatabase {
  url: string;
  orm: MikroORM;
  /** SQL statements run through the ORM since the last `resetQueryLog()`. */
  queries: string[];
  resetQueryLog(): void;
  drop(): Promise<void>;
}

/** Copies the template database into a new one and connects MikroORM to it, logging every statement. */
export async function createTestDatabase(): Promise<TestDatabase> {
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

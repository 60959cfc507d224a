import type { EntityManager } from "@mikro-orm/postgresql";
import { ImportProfile } from "../../schema/import-profile.js";
import type { AccessScope } from "../auth/access-scope.js";
import { mapEntity, runSql } from "./sql-rows.js";

/** The remembered answers whose import run `scope` may see (AccessScope.importRunCondition), oldest first. */
export async function visibleImportProfiles(
  em: EntityManager,
  scope: AccessScope,
): Promise<ImportProfile[]> {
  const visible = scope.importRunCondition("i");
  const rows = await runSql(
    em,
    `select p.* from import_profile p join import_run i on i.id = p.import_run_id${visible ? ` where ${visible.sql}` : ""} order by p.id`,
    visible?.params ?? [],
  );
  return rows.map((row) => mapEntity(em, ImportProfile, row));
}

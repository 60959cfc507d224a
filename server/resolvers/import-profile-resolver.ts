import { Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { describeShape } from "../../importers/workbook-shape.js";
import { ImportProfile } from "../../schema/import-profile.js";
import { ImportRun } from "../../schema/import-run.js";
import type { Context } from "../context.js";
import { mapEntity, runSql } from "../loading/sql-rows.js";

/**
 * The answers imports were given, remembered per workbook layout. A profile is seen by whoever may
 * see the import run that gave its answers (the import runs' own rule, AccessScope.importRunCondition).
 */
@Resolver(() => ImportProfile)
export class ImportProfileResolver {
  @Query(() => [ImportProfile], {
    description:
      "The remembered answers for each workbook layout, oldest first; only those whose import run the caller may see.",
  })
  async importProfiles(
    @Ctx() { em, scope }: Context,
  ): Promise<ImportProfile[]> {
    const visible = scope.importRunCondition("i");
    const rows = await runSql(
      em,
      `select p.* from import_profile p join import_run i on i.id = p.import_run_id${visible ? ` where ${visible.sql}` : ""} order by p.id`,
      visible?.params ?? [],
    );
    return rows.map((row) => mapEntity(em, ImportProfile, row));
  }

  @FieldResolver(() => [String], {
    description: "The workbook's sheet names, months and numbers taken out.",
  })
  sheetNames(@Root() profile: ImportProfile): string[] {
    return profile.shape.map((s) => s.name);
  }

  @FieldResolver(() => String, {
    description:
      "The layout the answers are for, one line a sheet: its name and header row, months shown as <month> and numbers as #.",
  })
  layout(@Root() profile: ImportProfile): string {
    return describeShape(profile.shape);
  }

  @FieldResolver(() => ImportRun, {
    nullable: true,
    description: "The successful import run whose answers these are.",
  })
  importRun(
    @Root() profile: ImportProfile,
    @Ctx() { loaders }: Context,
  ): Promise<ImportRun | null> {
    return loaders.importRun.load(profile.importRun.id);
  }
}

import { Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { describeShape } from "../../importers/workbook-shape.js";
import { ImportProfile } from "../../schema/import-profile.js";
import { ImportRun } from "../../schema/import-run.js";
import type { Context } from "../context.js";
import { visibleImportProfiles } from "../loading/import-profile-queries.js";

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
  importProfiles(@Ctx() { em, scope }: Context): Promise<ImportProfile[]> {
    return visibleImportProfiles(em, scope);
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

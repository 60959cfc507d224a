import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  ID,
  FieldResolver,
  ObjectType,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { ForbiddenError, NotFoundError } from "../../errors/hub-error.js";
import { ImportRun, ImportStatus } from "../../schema/import-run.js";
import { ProblemGrid } from "../../schema/problem-grid.js";
import type { Context } from "../context.js";
import { SqlConditions } from "../loading/sql-rows.js";
import { Connection, type ConnectionShape } from "../pagination/connection.js";
import { offsetList } from "../pagination/offset-list.js";
import { idArgument, PageArgs } from "./arguments.js";

/** A page of import runs. */
@ObjectType({
  description: "A page of import runs (Relay connection), newest first.",
})
export class ImportRunConnection extends Connection(ImportRun, "ImportRun") {}

/** Filters of the import history. */
@ArgsType()
export class ImportsArgs extends PageArgs {
  @Field(() => ImportStatus, {
    nullable: true,
    description: "Only runs that ended this way.",
  })
  status?: ImportStatus | null;

  @Field(() => String, {
    nullable: true,
    description: "Only runs of this reporting month (YYYY-MM).",
  })
  reportingPeriod?: string | null;
}

/** The import history: every run of `sshub import` (and the sample data), refused and dry runs included. */
@Resolver(() => ImportRun)
export class ImportResolver {
  @Query(() => ImportRunConnection, {
    description:
      "Import runs, newest first, with their counts per sheet (rowCounts) and every problem met.",
  })
  imports(
    @Args(() => ImportsArgs) args: ImportsArgs,
    @Ctx() { em, scope }: Context,
  ): Promise<ConnectionShape<ImportRun>> {
    const where = new SqlConditions();
    const visible = scope.importRunCondition("i");
    if (visible) where.add(visible.sql, ...visible.params);
    if (args.status) where.add("i.status = ?", args.status);
    if (args.reportingPeriod)
      where.add("i.reporting_period = ?", args.reportingPeriod);
    return offsetList(
      em,
      ImportRun,
      { from: "import_run i", alias: "i", where, order: "i.id desc" },
      args.first,
      args.after,
    );
  }

  @Query(() => ImportRun, { description: "One import run by its global id." })
  async import(
    @Arg("id", () => ID, { description: "The import run's global id." })
    id: string,
    @Ctx() { em, scope }: Context,
  ): Promise<ImportRun> {
    const runId = idArgument(id, "ImportRun")!;
    if (!(await scope.allowsImportRun(em, runId))) throw new ForbiddenError();
    const run = await em.findOne(ImportRun, { id: runId });
    if (!run) throw NotFoundError.entity("ImportRun", id);
    return run;
  }

  @FieldResolver(() => [ProblemGrid], {
    description:
      "The cells around the problems, per sheet with problems on cells (the whole sheet when small), as the importer read them: the places `--problems-xlsx` marks. Empty for runs without such problems, for workbooks of 1 MB and more, and for runs from before the grids were kept.",
  })
  problemGrids(@Root() run: ImportRun): ProblemGrid[] {
    return run.problemGrids ?? [];
  }
}

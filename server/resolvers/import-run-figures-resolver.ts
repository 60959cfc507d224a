import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { BadInputError } from "../../errors/hub-error.js";
import { ImportRun } from "../../schema/import-run.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import type { Context } from "../context.js";
import {
  figureCountOfRun,
  figuresOfRun,
} from "../loading/import-run-figure-queries.js";

/** The most figures `ImportRun.figures` lists at once. */
export const MAX_RUN_FIGURES = 500;

/**
 * The savings figures an import run wrote that the hub still holds (a later import of the same
 * figure takes it over). A run is visible only when every record it wrote is in the caller's
 * scope (AccessScope.importRunCondition), so its figures need no further check. One statement per
 * run: meant for one run's page, not for a list of runs.
 */
@Resolver(() => ImportRun)
export class ImportRunFiguresResolver {
  @FieldResolver(() => [SavingsFigure], {
    description: `The savings figures this run wrote that are still held (a later import of the same figure takes it over), in sheet order; at most \`first\` (default 100, at most ${MAX_RUN_FIGURES}). One statement per run: ask for it on one run, not on a list.`,
  })
  async figures(
    @Root() run: ImportRun,
    @Arg("first", () => Int, { nullable: true, defaultValue: 100 })
    first: number,
    @Ctx() { em }: Context,
  ): Promise<SavingsFigure[]> {
    if (first < 0 || first > MAX_RUN_FIGURES)
      throw new BadInputError(
        `first must be between 0 and ${MAX_RUN_FIGURES}; got ${first}.`,
        { first },
      );
    return figuresOfRun(em, run.id, first);
  }

  @FieldResolver(() => Int, {
    description:
      "How many savings figures this run wrote that are still held (see `figures`).",
  })
  figureCount(@Root() run: ImportRun, @Ctx() { em }: Context): Promise<number> {
    return figureCountOfRun(em, run.id);
  }
}

import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { BadInputError } from "../../errors/hub-error.js";
import {
  ImportMonth,
  ImportMonthChecks,
  PartnershipImportMonths,
} from "../../schema/import-calendar.js";
import type { ImportRun } from "../../schema/import-run.js";
import { Partnership } from "../../schema/partnership.js";
import { reportingMonths, shiftMonth } from "../../schema/reporting-months.js";
import { parseReportingPeriodArgument } from "../../schema/reporting-period.js";
import type { Context } from "../context.js";
import {
  checkRunRows,
  importMonthRows,
  latestFigureMonth,
  MAX_CHECK_RUNS,
} from "../loading/import-calendar-rows.js";

/** The longest range `importsByMonth` answers: five years of months. */
export const MAX_IMPORT_CALENDAR_MONTHS = 60;

/**
 * The months `importsByMonth` and `importChecksByMonth` cover: `from` to `to` as given, by default
 * the twelve up to the latest month with figures the caller may see; refused backwards or longer
 * than MAX_IMPORT_CALENDAR_MONTHS.
 */
async function calendarRange(
  em: Context["em"],
  scope: Context["scope"],
  fromArgument: string | null,
  toArgument: string | null,
): Promise<{ from: string; to: string; months: string[] }> {
  const to =
    parseReportingPeriodArgument(toArgument, "to") ??
    (await latestFigureMonth(em, scope)) ??
    new Date().toISOString().slice(0, 7);
  const from =
    parseReportingPeriodArgument(fromArgument, "from") ?? shiftMonth(to, -11);
  const months = reportingMonths(from, to);
  if (months.length === 0)
    throw new BadInputError(
      `from (${from}) must not be later than to (${to}).`,
      { from, to },
    );
  if (months.length > MAX_IMPORT_CALENDAR_MONTHS)
    throw new BadInputError(
      `from ${from} to ${to} is ${months.length} months; ask for at most ${MAX_IMPORT_CALENDAR_MONTHS}.`,
      { from, to },
    );
  return { from, to, months };
}

/** The import history by partnership and month, the months without a tracker included. */
@Resolver(() => PartnershipImportMonths)
export class ImportCalendarResolver {
  @Query(() => [PartnershipImportMonths], {
    description: `Every partnership (in the caller's scope) with each reporting month from \`from\` to \`to\` (YYYY-MM; by default the twelve months up to the latest month with savings figures) and the import runs whose savings figures it holds for the month: a month without runs had no tracker imported. At most ${MAX_IMPORT_CALENDAR_MONTHS} months.`,
  })
  async importsByMonth(
    @Arg("from", () => String, { nullable: true }) fromArgument: string | null,
    @Arg("to", () => String, { nullable: true }) toArgument: string | null,
    @Ctx() { em, scope, loaders }: Context,
  ): Promise<PartnershipImportMonths[]> {
    const { from, to, months } = await calendarRange(
      em,
      scope,
      fromArgument,
      toArgument,
    );
    const { rows, firstMonths } = await importMonthRows(em, scope, from, to);
    const partnerships = await em.find(
      Partnership,
      scope.partnershipIds ? { id: { $in: [...scope.partnershipIds] } } : {},
      { orderBy: { name: "asc" } },
    );
    const runIds = [
      ...new Set(rows.flatMap((r) => (r.importRunId ? [r.importRunId] : []))),
    ];
    const runs = new Map<number, ImportRun>();
    for (const run of await loaders.importRun.loadMany(runIds))
      if (run && !(run instanceof Error)) runs.set(run.id, run);
    return partnerships.map((partnership) => {
      const first = firstMonths.get(partnership.id) ?? null;
      const byMonth = months.map((period): ImportMonth => {
        const here = rows.filter(
          (r) =>
            r.partnershipId === partnership.id && r.reportingPeriod === period,
        );
        return {
          reportingPeriod: period,
          figureCount: here.reduce((sum, r) => sum + r.figures, 0),
          runs: here.flatMap((r) =>
            r.importRunId && runs.has(r.importRunId)
              ? [runs.get(r.importRunId)!]
              : [],
          ),
          beforeFirstTracker: first === null || period < first,
        };
      });
      return {
        partnership,
        months: byMonth,
        missingMonths: byMonth.filter(
          (m) => !m.beforeFirstTracker && m.figureCount === 0,
        ).length,
      };
    });
  }

  @Query(() => [ImportMonthChecks], {
    description: `Each reporting month from \`from\` to \`to\` (as in \`importsByMonth\`) with its dry runs and refused runs: checks that wrote nothing. National callers only see them (a council-bound caller gets every month with no runs), as with \`imports\`. At most ${MAX_CHECK_RUNS} runs in all.`,
  })
  async importChecksByMonth(
    @Arg("from", () => String, { nullable: true }) fromArgument: string | null,
    @Arg("to", () => String, { nullable: true }) toArgument: string | null,
    @Ctx() { em, scope, loaders }: Context,
  ): Promise<ImportMonthChecks[]> {
    const { from, to, months } = await calendarRange(
      em,
      scope,
      fromArgument,
      toArgument,
    );
    const rows = await checkRunRows(em, scope, from, to);
    const runs = await loaders.importRun.loadMany(
      rows.map((r) => r.importRunId),
    );
    return months.map((period) => ({
      reportingPeriod: period,
      runs: rows.flatMap((row, i) => {
        const run = runs[i];
        return row.reportingPeriod === period && run && !(run instanceof Error)
          ? [run]
          : [];
      }),
    }));
  }
}

import type { EntityManager } from "@mikro-orm/postgresql";
import { financialYearOfPeriod } from "../schema/reporting-period.js";
import { SavingsMeasure } from "../schema/savings-measure.js";
import type { Service } from "../schema/service.js";
import type { SheetPeriod } from "./decide-reporting-period.js";
import { executeBound } from "./bound-statement.js";
import { FigureChunk } from "./figure-chunk.js";
import { columnLetter } from "./locate-header.js";
import type { PartnershipDirectory } from "./partnership-directory.js";
import { MEASURES, SavingsRows } from "./savings-rows.js";
import type { ServiceSheetReading } from "./sheet-reading.js";
import { stageFigures } from "./write-savings-figures.js";
import type {
  SheetWriteContext,
  WrittenService,
} from "./write-sheet-records.js";

const ESTIMATE = MEASURES.indexOf(SavingsMeasure.ESTIMATE);

/**
 * Stages a service list's estimated savings as ESTIMATE figures, one per service: for the
 * partnership as a whole (no council), in the row's year (its year column), else the year the
 * sheet names (title, period line, sheet name), else the year of the sheet's reporting period;
 * cashable as the row's Saving type column or the header says; reported by the "Submitted by"
 * council, else the partnership; as of the sheet's reporting period, decided as a tracker's is.
 * A sheet with no reporting period keeps the estimates on its services only (as before figures
 * were recorded) and gets one warning naming the column's header cell. A service listed twice
 * keeps its later row's estimate, as its service does. True when figures were staged.
 */
export async function stageServiceEstimates(
  reading: ServiceSheetReading,
  context: SheetWriteContext,
  decided: SheetPeriod,
  written: readonly WrittenService[],
  /** The council of the "Submitted by" line (GSS code); null: the partnership's own. */
  submitter: string | null,
): Promise<boolean> {
  const { problems, em, directory } = context;
  const sheet = reading.name;
  const column = reading.map.roles.get("annualSaving");
  if (column === undefined) return false;
  const estimates = written.filter(
    (w) =>
      w.record.annualSaving !== null &&
      w.record.estimateFigure !== null &&
      !problems.rowIsInvalid(sheet, w.record.row),
  );
  if (estimates.length === 0) return false;
  const period = decided.period;
  const headerCell = `${columnLetter(column)}${reading.headerRow}`;
  if (period === null) {
    problems.add({
      code: "bad-period",
      severity: "warning",
      sheet,
      cell: headerCell,
      header: reading.map.headers[column] ?? "",
      message: `The estimated savings under "${reading.map.headers[column]}" (${headerCell}) were kept on the services but not recorded as ESTIMATE savings figures: the sheet does not say which month it reports. Add "Period: June 2010" above the table, or import with --period 2010-06.`,
    });
    return false;
  }
  const sheetYear =
    reading.financialYear?.year ?? financialYearOfPeriod(period);
  // New services get their ids before figures are keyed and staged with them.
  await em.flush();
  // One figure per service, year and cashability: a service listed again keeps its later row's.
  const latest = new Map<
    string,
    WrittenService & { year: number; cashable: boolean }
  >();
  for (const w of estimates) {
    const { year: rowYear, cashable } = w.record.estimateFigure!;
    const year = rowYear ?? sheetYear;
    latest.set(`${w.service.id}|${year}|${cashable}`, { ...w, year, cashable });
  }
  const rows = new SavingsRows();
  const services: Service[] = [];
  for (const { record, service, year, cashable } of latest.values()) {
    rows.push({
      row: record.row,
      column,
      service: record.name,
      partnership: null,
      council: null,
      year,
      measure: ESTIMATE,
      cashable,
      pence: record.annualSaving!,
      rag: null,
      extra: null,
    });
    services.push(service);
  }
  const chunk = new FigureChunk();
  services.forEach((service, i) => chunk.push(rows, i, service, null));
  await stageFigures(em, chunk, {
    sheet,
    period,
    reportedBy: reportedById(submitter, directory),
    fromServiceList: true,
  });
  return true;
}

function reportedById(
  submitter: string | null,
  directory: PartnershipDirectory,
): number | null {
  return submitter === null ? null : directory.councilIds.get(submitter)!;
}

/**
 * Sets each of these services' estimatedAnnualSaving from its latest service-list estimate (the
 * newest reporting period, then the latest year; the partnership's own report before a council's),
 * so that the service's estimate is the figure's; a service whose last such estimate was removed
 * has none. Services with no service-list estimate ever are left as they are.
 */
export async function deriveEstimatedAnnualSavings(
  em: EntityManager,
  staged: readonly number[],
  removed: readonly number[],
): Promise<void> {
  if (staged.length === 0 && removed.length === 0) return;
  const services = [...staged, ...removed];
  await executeBound(
    em,
    `with latest as (
       select distinct on (f.service_id) f.service_id, f.amount
       from savings_figure f
       where f.service_id = any($1::int[]) and f.from_service_list and f.measure = $2 and f.council_id is null
       order by f.service_id, f.reporting_period desc, f.financial_year desc, f.reported_by_id asc nulls first, f.id desc)
     update service s set estimated_annual_saving = latest.amount
     from unnest($1::int[]) as t(id) left join latest on latest.service_id = t.id
     where s.id = t.id and s.estimated_annual_saving is distinct from latest.amount
       and (latest.service_id is not null or t.id = any($3::int[]))`,
    [services, SavingsMeasure.ESTIMATE, [...removed]],
  );
}

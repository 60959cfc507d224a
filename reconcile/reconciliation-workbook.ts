import ExcelJS from "exceljs";
import { formatFinancialYear } from "../schema/financial-year-text.js";
import type { ImportRun } from "../schema/import-run.js";
import { fromPence, toPence } from "../schema/money.js";
import { FigureSource, figureSourceOf } from "../schema/savings-figure-key.js";
import type { SavingsFigure } from "../schema/savings-figure.js";
import { formulaSafeText } from "./formula-safe-text.js";
import { CURRENCY_FORMAT, moneyCellValue } from "./money-cell.js";
import type { PartnershipReconciliation } from "./reconciliation.js";
import { describeQuery } from "./reconciliation-options.js";
import { ReconciliationStatus } from "./reconciliation-status.js";

/** The row of the column headers on every sheet; rows above it hold the title and notes. */
export const HEADER_ROW = 6;

/** The columns of a partnership's sheet, in order (the export test reads them by these headers). */
export const LINE_HEADERS = [
  "Service",
  "Kind",
  "Council",
  "GSS code",
  "Role",
  "Share basis",
  "Share %",
  "Partnership total",
  "Expected share",
  "Claimed",
  "Variance",
  "Status",
  "Note",
  "Total from",
  "Claim from",
  "Share from",
] as const;

/** The columns of the summary sheet, in order. */
export const SUMMARY_HEADERS = [
  "Partnership",
  "Service",
  "Kind",
  "Partnership total",
  "Sum of claims",
  "Difference",
  "Double counting",
  "Matched",
  "Over-claimed",
  "Under-claimed",
  "Missing claims",
  "Claims without total",
  "Non-member claims",
  "Other reported totals",
] as const;

const FILLS: Record<ReconciliationStatus, string> = {
  MATCHED: "FFC6EFCE",
  OVER_CLAIMED: "FFFFC7CE",
  UNDER_CLAIMED: "FFFFEB9C",
  MISSING_CLAIM: "FFFFEB9C",
  CLAIM_WITHOUT_TOTAL: "FFF8CBAD",
  NON_MEMBER_CLAIM: "FFF8CBAD",
};
const FLAG_FILL = "FFFFC7CE";
const HEADER_FILL = "FFD9E1F2";

function fill(cell: ExcelJS.Cell, argb: string): void {
  cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb } };
}

/** Text from imported cells or the database, made inert for Excel. */
function text(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : formulaSafeText(value);
}

function kind(cashable: boolean): string {
  return cashable ? "Cashable" : "Non-cashable";
}

function source(figure: SavingsFigure | null): string | null {
  if (!figure) return null;
  const where = [figure.sourceSheet, figure.sourceCell]
    .filter(Boolean)
    .join("!");
  const run = figure.importRun;
  const from = run ? ` in ${run.fileName} (import run ${run.id})` : "";
  return `${where || "no cell recorded"}${from}, ${figure.reportingPeriod}, ${reporter(figure)}`;
}

/** Whose report a figure is, in words: the source rule's answer (schema/savings-figure-key.ts). */
function reporter(figure: SavingsFigure): string {
  switch (figureSourceOf(figure)) {
    case FigureSource.OWN:
      return "the council's own report";
    case FigureSource.PARTNERSHIP:
      return "the partnership's report";
    case FigureSource.HOST:
      return `reported by ${figure.reportedBy?.shortName ?? "another council"}`;
  }
}

function otherTotals(figures: readonly SavingsFigure[]): string | null {
  if (figures.length === 0) return null;
  return figures
    .map((f) => `£${fromPence(toPence(String(f.amount)))} (${source(f)})`)
    .join("; ");
}

function describeRuns(runs: readonly ImportRun[]): string {
  if (runs.length === 0)
    return "Built from no import runs (figures entered without one, or none).";
  return `Built from import runs: ${runs
    .map(
      (run) =>
        `#${run.id} ${run.fileName}${run.reportingPeriod ? ` (${run.reportingPeriod})` : ""}`,
    )
    .join("; ")}.`;
}

/** Excel sheet names: at most 31 characters, none of []:*?/\, not "History", unique in any case. */
function sheetName(name: string, taken: Set<string>): string {
  let base = name
    .replace(/[[\]:*?/\\]/g, " ")
    .replace(/\s+/g, " ")
    .replace(/^'+|'+$/g, "")
    .trim();
  if (!base || /^(history|summary)$/i.test(base))
    base = `${base || "Partnership"} (p)`;
  base = base.slice(0, 31).replace(/'+$/, "").trim();
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    candidate = `${base.slice(0, 31 - suffix.length)}${suffix}`;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

function header(sheet: ExcelJS.Worksheet, headers: readonly string[]): void {
  const row = sheet.getRow(HEADER_ROW);
  headers.forEach((title, index) => {
    const cell = row.getCell(index + 1);
    cell.value = title;
    cell.font = { bold: true };
    fill(cell, HEADER_FILL);
  });
  sheet.views = [{ state: "frozen", xSplit: 0, ySplit: HEADER_ROW }];
}

function notes(sheet: ExcelJS.Worksheet, title: string, lines: string[]): void {
  sheet.getCell("A1").value = text(title);
  sheet.getCell("A1").font = { bold: true, size: 14 };
  lines.slice(0, HEADER_ROW - 2).forEach((line, index) => {
    sheet.getCell(`A${index + 2}`).value = text(line);
  });
}

function partnershipSheet(
  workbook: ExcelJS.Workbook,
  reconciliation: PartnershipReconciliation,
  name: string,
): void {
  const sheet = workbook.addWorksheet(name);
  notes(sheet, `${reconciliation.partnership.name}: savings reconciliation`, [
    `${describeQuery(reconciliation, reconciliation.latestPeriod)}; tolerance £${fromPence(reconciliation.tolerancePence)}.`,
    describeRuns(reconciliation.importRuns),
    reconciliation.warnings.join(" ") ||
      "Shares are rounded by largest remainder on pence (ties to the lower GSS code), so they add up to each total exactly.",
  ]);
  header(sheet, LINE_HEADERS);
  const widths = [34, 13, 28, 11, 9, 11, 9, 16, 16, 16, 16, 20, 40, 40, 40, 40];
  widths.forEach((width, index) => (sheet.getColumn(index + 1).width = width));
  for (const column of [8, 9, 10, 11])
    sheet.getColumn(column).numFmt = CURRENCY_FORMAT;
  sheet.getColumn(7).numFmt = '0.0000"%"';

  let rowNumber = HEADER_ROW;
  for (const line of reconciliation.lines) {
    rowNumber += 1;
    const row = sheet.getRow(rowNumber);
    row.values = [
      text(line.service.name),
      kind(line.cashable),
      text(line.council.shortName),
      text(line.council.gssCode),
      line.membership?.role ?? "",
      line.shareBasis ?? "",
      line.appliedPercent === null ? null : Number(line.appliedPercent),
      moneyCellValue(line.totalPence),
      moneyCellValue(line.expectedPence),
      moneyCellValue(line.claimedPence),
      moneyCellValue(line.variancePence),
      line.status,
      text(line.note),
      text(source(line.totalFigure)),
      text(source(line.claimFigure)),
      text(source(line.shareFigure)),
    ];
    if (line.status !== ReconciliationStatus.MATCHED) {
      fill(row.getCell(11), FILLS[line.status]);
    }
    fill(row.getCell(12), FILLS[line.status]);
  }
  sheet.autoFilter = {
    from: { row: HEADER_ROW, column: 1 },
    to: { row: Math.max(rowNumber, HEADER_ROW), column: LINE_HEADERS.length },
  };

  rowNumber += 2;
  sheet.getCell(`A${rowNumber}`).value = "Totals";
  sheet.getCell(`A${rowNumber}`).font = { bold: true };
  for (const total of reconciliation.totals) {
    rowNumber += 1;
    const row = sheet.getRow(rowNumber);
    row.getCell(1).value =
      `All services (${kind(total.cashable).toLowerCase()})`;
    row.getCell(2).value = kind(total.cashable);
    row.getCell(3).value = "Partnership total vs claims";
    row.getCell(8).value = moneyCellValue(total.totalPence);
    row.getCell(10).value = moneyCellValue(total.claimedPence);
    row.getCell(11).value = moneyCellValue(total.differencePence);
    row.getCell(12).value = total.doubleCounting ? "DOUBLE_COUNTING" : "";
    row.getCell(13).value =
      total.claimedWithoutTotalPence !== 0n
        ? `Also claimed on services without a total: £${fromPence(total.claimedWithoutTotalPence)}.`
        : null;
    if (total.doubleCounting) fill(row.getCell(12), FLAG_FILL);
  }
}

function summarySheet(
  sheet: ExcelJS.Worksheet,
  reconciliations: readonly PartnershipReconciliation[],
  generatedAt: Date,
): void {
  const first = reconciliations[0];
  const latest = reconciliations
    .map((r) => r.latestPeriod)
    .filter((p): p is string => p !== null)
    .sort()
    .at(-1);
  const runs = new Map<number, ImportRun>();
  reconciliations.forEach((r) =>
    r.importRuns.forEach((run) => runs.set(run.id, run)),
  );
  notes(sheet, "Savings reconciliation: summary", [
    first
      ? `${describeQuery(first, latest ?? null)}; tolerance £${fromPence(first.tolerancePence)}.`
      : "No partnership.",
    describeRuns([...runs.values()].sort((a, b) => a.id - b.id)),
    `Generated ${generatedAt.toISOString()} by Shared Services Hub. Amounts exact to the penny; one sheet per partnership follows.`,
  ]);
  header(sheet, SUMMARY_HEADERS);
  [34, 34, 13, 16, 16, 16, 16, 9, 12, 13, 14, 19, 18, 40].forEach(
    (width, index) => (sheet.getColumn(index + 1).width = width),
  );
  for (const column of [4, 5, 6])
    sheet.getColumn(column).numFmt = CURRENCY_FORMAT;
  let rowNumber = HEADER_ROW;
  for (const reconciliation of reconciliations) {
    const count = (
      serviceId: number,
      cashable: boolean,
      status: ReconciliationStatus,
    ) =>
      reconciliation.lines.filter(
        (l) =>
          l.service.id === serviceId &&
          l.cashable === cashable &&
          l.status === status,
      ).length;
    const rows: { values: ExcelJS.CellValue[]; flag: boolean }[] = [
      ...reconciliation.services.map((s) => ({
        values: [
          text(reconciliation.partnership.name),
          text(s.service.name),
          kind(s.cashable),
          moneyCellValue(s.totalPence),
          moneyCellValue(s.claimedPence),
          moneyCellValue(s.differencePence),
          s.doubleCounting ? "DOUBLE_COUNTING" : "",
          ...Object.values(ReconciliationStatus).map((status) =>
            count(s.service.id, s.cashable, status),
          ),
          text(otherTotals(s.otherTotalFigures)),
        ],
        flag: s.doubleCounting,
      })),
      ...reconciliation.totals.map((t) => ({
        values: [
          text(reconciliation.partnership.name),
          `All services (${kind(t.cashable).toLowerCase()})`,
          kind(t.cashable),
          moneyCellValue(t.totalPence),
          moneyCellValue(t.claimedPence),
          moneyCellValue(t.differencePence),
          t.doubleCounting ? "DOUBLE_COUNTING" : "",
          ...Object.values(ReconciliationStatus).map(
            (status) =>
              reconciliation.lines.filter(
                (l) => l.cashable === t.cashable && l.status === status,
              ).length,
          ),
        ],
        flag: t.doubleCounting,
      })),
    ];
    for (const { values, flag } of rows) {
      rowNumber += 1;
      const row = sheet.getRow(rowNumber);
      row.values = values;
      if (flag) {
        fill(row.getCell(6), FLAG_FILL);
        fill(row.getCell(7), FLAG_FILL);
      }
    }
  }
  sheet.autoFilter = {
    from: { row: HEADER_ROW, column: 1 },
    to: {
      row: Math.max(rowNumber, HEADER_ROW),
      column: SUMMARY_HEADERS.length,
    },
  };
}

/**
 * The finance officers' workbook: a summary sheet, then one sheet per partnership with every line,
 * currency formats, frozen headers, filters, highlighted variances, and a note of the period and the
 * import runs behind it. Every text that came from the data is written formula-safe.
 */
export function buildReconciliationWorkbook(
  reconciliations: readonly PartnershipReconciliation[],
  generatedAt: Date = new Date(),
): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Shared Services Hub";
  workbook.created = generatedAt;
  const taken = new Set<string>(["summary"]);
  summarySheet(workbook.addWorksheet("Summary"), reconciliations, generatedAt);
  for (const reconciliation of reconciliations)
    partnershipSheet(
      workbook,
      reconciliation,
      sheetName(reconciliation.partnership.name, taken),
    );
  return workbook;
}

/** The workbook as .xlsx bytes. */
export async function reconciliationWorkbookBytes(
  reconciliations: readonly PartnershipReconciliation[],
  generatedAt?: Date,
): Promise<Buffer> {
  const workbook = buildReconciliationWorkbook(reconciliations, generatedAt);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A file name for the workbook: "reconciliation-<partnership>-2009-10.xlsx" in plain ASCII. */
export function reconciliationFileName(
  reconciliations: readonly PartnershipReconciliation[],
): string {
  const first = reconciliations[0];
  const who =
    reconciliations.length === 1 && first
      ? first.partnership.name
          .normalize("NFKD")
          .replace(/[^A-Za-z0-9]+/g, "-")
          .replace(/^-|-$/g, "")
          .toLowerCase()
          .slice(0, 60) || `partnership-${first.partnership.id}`
      : "partnerships";
  const year = first
    ? `-${formatFinancialYear(first.financialYear).replace("/", "-")}`
    : "";
  return `reconciliation-${who}${year}.xlsx`;
}

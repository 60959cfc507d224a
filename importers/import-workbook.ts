import type { MikroORM } from "@mikro-orm/postgresql";
import { isReportingPeriod } from "../schema/reporting-period.js";
import { basename } from "node:path";
import { userInfo } from "node:os";
import { BadInputError } from "../errors/hub-error.js";
import { CouncilRegister } from "../register/resolve-council.js";
import { ImportRun, ImportStatus } from "../schema/import-run.js";
import { CouncilLookup } from "./council-lookup.js";
import { guardWorkbookFile } from "./guard-workbook-file.js";
import type { SheetKind } from "./header-synonyms.js";
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from "./import-limits.js";
import { ProblemCollector, type ImportProblem } from "./import-problem.js";
import type { MappingProfile } from "./mapping-profile.js";
import {
  PartnershipDirectory,
  type CreatedRecord,
  type RecordCounts,
} from "./partnership-directory.js";
import { readSheetRecords, SheetTooLarge } from "./read-sheet-records.js";
import { readWorkbookSheets } from "./read-workbook-sheets.js";
import {
  applySavingsFigures,
  createSavingsStaging,
  dropStagedRows,
  findDuplicateFigures,
  stageSavingsSheet,
} from "./write-savings-figures.js";
import {
  writeFundingSheet,
  writeGovernanceSheet,
  writeServiceSheet,
  type SheetWriteContext,
} from "./write-sheet-records.js";

/** How one file is imported (the `sshub import` options). */
export interface ImportOptions {
  /** Report what would happen; write nothing but the import run. */
  dryRun?: boolean;
  /** The reporting month, "YYYY-MM"; else read from the workbook ("Period: June 2010"). */
  period?: string;
  /** Read every sheet as this kind instead of recognising it from its headers. */
  kind?: SheetKind;
  profile?: MappingProfile;
  /** The partnership for sheets that name none. */
  partnership?: string;
  /** Write the valid rows and record the invalid ones, instead of refusing the file. */
  skipInvalidRows?: boolean;
  limits?: Partial<ImportLimits>;
  /** Who runs it (recorded on the import run); the OS login by default. */
  runBy?: string;
  /** The name problems and the run show for the file; its base name by default. */
  displayName?: string;
  /** Told how far reading has got, for a progress bar. */
  onProgress?: (progress: {
    bytesRead: number;
    totalBytes: number;
    rows: number;
  }) => void;
}

/** One sheet's line in the summary. */
export interface SheetSummary {
  sheet: string;
  kind: SheetKind | null;
  /** "read", or why the sheet was skipped. */
  status: "read" | "hidden" | "unknown";
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Figures of this sheet's source no longer in the tracker (deleted by the monthly rule). */
  removed: number;
  problems: number;
}

/** Everything an import did or would do: the report `sshub import --json` prints. */
export interface ImportReport {
  importRunId: number;
  file: string;
  path: string;
  sha256: string | null;
  status: ImportStatus;
  dryRun: boolean;
  reportingPeriod: string | null;
  sheets: SheetSummary[];
  created: CreatedRecord[];
  problems: ImportProblem[];
  errorCount: number;
  warningCount: number;
  /** Problems counted but not listed (past 10,000). */
  omittedProblems: number;
  /** Rows skipped for errors (with --skip-invalid-rows). */
  skippedRows: number;
  /** An earlier successful import of the very same bytes, if any. */
  sameFileAs: number | null;
  durationMs: number;
}

class Rollback extends Error {}

function operator(): string {
  try {
    return userInfo().username;
  } catch {
    return "operator";
  }
}

/**
 * Imports one workbook through the pipeline: guard → stream sheets → locate header → classify →
 * map columns → coerce cells → resolve councils, partnerships and services → write. The whole file is
 * one transaction: any error writes nothing (unless `skipInvalidRows`, which writes the valid rows),
 * and a dry run rolls everything back after counting. An ImportRun row records every run, refused
 * and dry runs included.
 */
export async function importWorkbook(
  orm: MikroORM,
  path: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const started = Date.now();
  if (options.period !== undefined && !isReportingPeriod(options.period))
    throw new BadInputError(
      `--period must be a month written YYYY-MM, e.g. 2010-06; it was "${options.period}".`,
    );
  const limits = { ...DEFAULT_IMPORT_LIMITS, ...options.limits };
  const file = options.displayName ?? basename(path);
  const problems = new ProblemCollector(file);
  const guarded = await guardWorkbookFile(path, limits, problems);

  const runEm = orm.em.fork();
  const run = runEm.create(ImportRun, {
    fileName: file,
    sha256: guarded?.sha256 ?? "",
    kind: "",
    reportingPeriod: options.period ?? null,
    runBy: options.runBy ?? operator(),
  } as never) as ImportRun;
  await runEm.flush();
  const previous = guarded
    ? await runEm.findOne(
        ImportRun,
        {
          sha256: guarded.sha256,
          status: {
            $in: [
              ImportStatus.IMPORTED,
              ImportStatus.IMPORTED_WITH_SKIPPED_ROWS,
            ],
          },
          id: { $ne: run.id },
        },
        { orderBy: { id: "desc" } },
      )
    : null;

  const sheets: SheetSummary[] = [];
  let created: CreatedRecord[] = [];
  let skippedRows = 0;
  let status = ImportStatus.REFUSED;
  let workbookPeriod: string | null = options.period ?? null;

  if (guarded) {
    try {
      await orm.em.fork().transactional(async (em) => {
        await createSavingsStaging(em);
        const directory = await PartnershipDirectory.load(em, run, problems);
        const context: SheetWriteContext = {
          em,
          directory,
          problems,
          lookup: new CouncilLookup(CouncilRegister.default()),
          partnership:
            options.partnership ?? options.profile?.partnership ?? null,
          skipInvalidRows: options.skipInvalidRows ?? false,
        };
        let rowsSeen = 0;
        let bytesRead = 0;
        const progress = () =>
          options.onProgress?.({
            bytesRead,
            totalBytes: guarded.bytes,
            rows: rowsSeen,
          });
        let stagedAny = false;
        for await (const sheet of readWorkbookSheets(path, (bytes) => {
          bytesRead = bytes;
        })) {
          const before = problems.errorCount + problems.warningCount;
          if (sheet.hidden) {
            problems.add({
              code: "hidden-sheet",
              sheet: sheet.name,
              message: `Sheet "${sheet.name}" is hidden and was skipped: unhide it in Excel if it should be imported.`,
            });
            sheets.push({
              sheet: sheet.name,
              kind: null,
              status: "hidden",
              rowsRead: 0,
              created: 0,
              updated: 0,
              unchanged: 0,
              removed: 0,
              problems: 1,
            });
            continue;
          }
          const reading = await readSheetRecords(
            sheet,
            {
              ...(options.kind ? { kind: options.kind } : {}),
              ...(options.profile ? { profile: options.profile } : {}),
              limits,
              onRow: () => {
                if (++rowsSeen % 5000 === 0) progress();
              },
            },
            problems,
          );
          const counts: RecordCounts = {
            created: 0,
            updated: 0,
            unchanged: 0,
            removed: 0,
          };
          const summary: SheetSummary = {
            sheet: sheet.name,
            kind: reading?.kind ?? null,
            status: reading ? "read" : "unknown",
            rowsRead: reading?.rowsRead ?? 0,
            created: 0,
            updated: 0,
            unchanged: 0,
            removed: 0,
            problems: 0,
          };
          sheets.push(summary);
          if (reading) {
            if (reading.title.period && !workbookPeriod)
              workbookPeriod = reading.title.period;
            switch (reading.kind) {
              case "services":
                writeServiceSheet(reading, context, counts);
                break;
              case "governance":
                await writeGovernanceSheet(reading, context, counts);
                break;
              case "funding":
                await writeFundingSheet(reading, context, counts);
                break;
              default: {
                const period =
                  options.period ?? reading.title.period ?? workbookPeriod;
                if (!period) {
                  problems.add({
                    code: "bad-period",
                    sheet: sheet.name,
                    ...(reading.title.cells.period
                      ? { cell: reading.title.cells.period }
                      : {}),
                    ...(reading.title.badPeriod
                      ? { value: reading.title.badPeriod }
                      : {}),
                    message: reading.title.badPeriod
                      ? `"${reading.title.badPeriod}" is not a reporting month: write "Period: June 2010" above the table, or import with --period 2010-06.`
                      : `Savings tracker "${sheet.name}" does not say which month it reports: add "Period: June 2010" above the table, or import with --period 2010-06.`,
                  });
                  break;
                }
                await stageSavingsSheet(reading, context, period, counts);
                stagedAny = true;
              }
            }
            await em.flush();
          }
          Object.assign(summary, {
            created: counts.created,
            updated: counts.updated,
            unchanged: counts.unchanged,
          });
          summary.problems =
            problems.errorCount + problems.warningCount - before;
          progress();
        }
        if (rowsSeen === 0 && sheets.every((s) => s.status !== "hidden"))
          problems.add({
            code: "empty-file",
            message: `${file} has no rows in any sheet: there is nothing to import.`,
          });
        else if (!sheets.some((s) => s.status === "read"))
          problems.add({
            code: "unknown-sheet",
            message: `No sheet of ${file} could be read as a service list, savings tracker, governance list or funding list.`,
          });
        if (stagedAny) {
          const duplicates = await findDuplicateFigures(em);
          for (const d of duplicates)
            problems.add({
              code: "duplicate-row",
              sheet: d.sheet,
              row: d.row,
              cell: d.cell,
              message: `The figure in ${d.sheet}!${d.cell} repeats the one in ${d.first_sheet}!${d.first_cell} (same service, council, year, measure and cashable kind): keep one of them.`,
            });
        }
        const blocked =
          problems.errorCount > 0 &&
          (!options.skipInvalidRows || problems.fileErrorCount > 0);
        if (blocked) throw new Rollback();
        for (const [, rows] of problems.invalidRows) skippedRows += rows.size;
        if (stagedAny) {
          if (options.skipInvalidRows)
            await dropStagedRows(
              em,
              [...problems.invalidRows].flatMap(([sheet, rows]) =>
                [...rows].map((row) => ({ sheet, row })),
              ),
            );
          const savingsCounts = await applySavingsFigures(em, run.id);
          for (const summary of sheets) {
            const c = savingsCounts.get(summary.sheet);
            if (!c) continue;
            summary.created += c.created;
            summary.updated += c.updated;
            summary.unchanged += c.unchanged;
            summary.removed += c.removed;
          }
        }
        created = directory.created;
        status = options.dryRun
          ? ImportStatus.DRY_RUN
          : skippedRows > 0
            ? ImportStatus.IMPORTED_WITH_SKIPPED_ROWS
            : ImportStatus.IMPORTED;
        if (options.dryRun) throw new Rollback();
      });
    } catch (error) {
      if (!(error instanceof Rollback)) {
        if (error instanceof SheetTooLarge) status = ImportStatus.REFUSED;
        else if (error instanceof BadInputError) throw error;
        else {
          problems.add({
            code: "unreadable-file",
            message: `${file} could not be read as a workbook (${error instanceof Error ? error.message : String(error)}): open it in Excel, save it as .xlsx and import it again.`,
          });
          status = ImportStatus.REFUSED;
        }
      }
    }
  }
  if (status === ImportStatus.REFUSED) {
    for (const summary of sheets)
      Object.assign(summary, {
        created: 0,
        updated: 0,
        unchanged: 0,
        removed: 0,
      });
    created = [];
  }
  run.status = status;
  run.kind = [...new Set(sheets.map((s) => s.kind).filter(Boolean))].join(",");
  run.reportingPeriod = workbookPeriod;
  run.rowCounts = {
    sheets,
    created,
    skippedRows,
    sameFileAs: previous?.id ?? null,
    errors: problems.errorCount,
    warnings: problems.warningCount,
  };
  run.problems = problems.problems;
  run.finishedAt = new Date();
  await runEm.flush();
  return {
    importRunId: run.id,
    file,
    path,
    sha256: guarded?.sha256 ?? null,
    status,
    dryRun: options.dryRun ?? false,
    reportingPeriod: workbookPeriod,
    sheets,
    created,
    problems: problems.problems,
    errorCount: problems.errorCount,
    warningCount: problems.warningCount,
    omittedProblems: problems.omitted,
    skippedRows,
    sameFileAs: previous?.id ?? null,
    durationMs: Date.now() - started,
  };
}

import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import { parseReportingPeriodArgument } from "../schema/reporting-period.js";
import { statSync } from "node:fs";
import { basename } from "node:path";
import { userInfo } from "node:os";
import { isConnectionLoss } from "../db/connection-loss.js";
import { databaseFaultState } from "./database-fault.js";
import { isStatementTimeout } from "../db/orm-config.js";
import {
  BadInputError,
  DatabaseFaultError,
  DatabaseUnavailableError,
  TimedOutError,
} from "../errors/hub-error.js";
import { CouncilRegister } from "../register/resolve-council.js";
import { ImportRun, ImportStatus } from "../schema/import-run.js";
import type { Partnership } from "../schema/partnership.js";
import type { Service } from "../schema/service.js";
import type { ProblemGrid } from "../schema/problem-grid.js";
import type { SavingsMeasure } from "../schema/savings-measure.js";
import { CouncilLookup } from "./council-lookup.js";
import { crashTestPause, crashTestPauseFraction } from "./crash-test-pause.js";
import { guardWorkbookFile } from "./guard-workbook-file.js";
import { ImportLocks, NeedsExclusiveImportLock } from "./import-lock.js";
import {
  ImportRunLease,
  INTERRUPTED_REASON,
  markInterruptedRuns,
} from "./import-run-lease.js";
import type { SheetKind } from "./header-synonyms.js";
import type { SheetSummary } from "./sheet-summary.js";
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from "./import-limits.js";
import { ProblemCollector, type ImportProblem } from "./import-problem.js";
import type { MappingProfile } from "./mapping-profile.js";
import {
  findImportProfile,
  findImportProfileByFirstSheet,
  saveImportProfile,
  type SavedProfile,
  type StoredProfile,
} from "./import-profile-store.js";
import { periodFromFileName } from "./period-in-file-name.js";
import {
  givenAnswers,
  hasAnswers,
  mergeAnswers,
  sameAnswers,
} from "./remembered-answers.js";
import {
  workbookShape,
  type SheetShape,
  type WorkbookShape,
} from "./workbook-shape.js";
import {
  PartnershipDirectory,
  type CreatedRecord,
  type RecordCounts,
} from "./partnership-directory.js";
import {
  isSavingsReading,
  withFigures,
  type SheetReading,
} from "./sheet-reading.js";
import { SheetTooLarge } from "./sheet-row-source.js";
import {
  InProcessWorkbookReader,
  READ_BATCH_ROWS,
  withAnswers,
  type ReaderKnows,
  type ReadWorkerInput,
  type WorkbookReader,
} from "./read-workbook-events.js";
import type { SheetAnswers } from "./read-sheet-records.js";
import { WorkbookReadIncomplete } from "./workbook-read-incomplete.js";
import { WorkbookReaderThread } from "./read-workbook-in-worker.js";
import { ReplayableWorkbookReader } from "./replayable-workbook-reader.js";
import {
  councilsAsOf,
  decideReportingPeriod,
  type PeriodSource,
  type SheetPeriod,
} from "./decide-reporting-period.js";
import { readProblemGrids } from "./problem-grids.js";
import { ReferencedKeys } from "./referenced-keys.js";
import { releaseBatch, SavingsRows } from "./savings-rows.js";
import { SavingsSheetResolver } from "./savings-sheet-resolver.js";
import { sheetReadingFacts } from "./sheet-reading-facts.js";
import {
  deriveEstimatedAnnualSavings,
  stageServiceEstimates,
} from "./stage-service-estimates.js";
import { SavingsStream } from "./stream-savings-figures.js";
import {
  applySavingsFigures,
  assertNoRepeatOfUnstaged,
  createSavingsStaging,
  dropStagedRows,
  findDuplicateFigures,
  periodHasFigures,
  StreamedFigureUndone,
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
  /**
   * The measure of figures the workbook names none for (no measure column, header or title word);
   * a measure the workbook names wins, since it is the more specific answer.
   */
  measure?: SavingsMeasure;
  /**
   * Use the answers remembered for this workbook's shape (see ImportProfile) where none is given,
   * and remember the answers given when the import succeeds. Off unless asked for: `sshub import`
   * and the HTTP route ask for it.
   */
  rememberAnswers?: boolean;
  /** Write the valid rows and record the invalid ones, instead of refusing the file. */
  skipInvalidRows?: boolean;
  /**
   * Write savings figures while the sheet is still being read (the default); false reads each sheet
   * whole first. Both give the same result; false is slower and is there to show that.
   */
  streaming?: boolean;
  limits?: Partial<ImportLimits>;
  /** Who runs it (recorded on the import run); the OS login by default. */
  runBy?: string;
  /** The name problems and the run show for the file; its base name by default. */
  displayName?: string;
  /**
   * Queues the audit event of this import on `em`, the transaction that writes the run's result
   * (and the figures), so that the event exists exactly when the result does.
   */
  audit?: (em: EntityManager, report: ImportReport) => void;
  /**
   * Writes what the caller keeps of the result (an import job's state and report) in the same
   * transaction as the run's result, so that one exists exactly when the other does.
   */
  onResult?: (em: EntityManager, report: ImportReport) => Promise<void>;
  /** Stops the import (nothing written, the run INTERRUPTED) once aborted; throws its reason. */
  signal?: AbortSignal;
  /** Told how far reading has got, for a progress bar. */
  onProgress?: (progress: {
    bytesRead: number;
    totalBytes: number;
    rows: number;
    /** The sheet being read. */
    sheet: string | null;
  }) => void;
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
  /** Where the reporting period was read (see SheetSummary.periodSource). */
  reportingPeriodSource: string | null;
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
  /** The workbook's shape (see workbook-shape.ts), null when it was not read. */
  shapeKey: string | null;
  /** The answers the import used (given, and remembered ones merged in); null for none. */
  answers: MappingProfile | null;
  /** The remembered answers this import used, and the import run that gave them. */
  rememberedAnswers: StoredProfile | null;
  /** The profile the answers given to this import were saved to (a successful import only). */
  savedProfile: SavedProfile | null;
  durationMs: number;
  /** The cells around the problems, per sheet (kept on the run too, for the page). */
  problemGrids: ProblemGrid[];
}

/**
 * A pass read a workbook with other answers than those remembered for its whole shape (found once
 * every sheet is read): read it again with these (`profile` null: as given). A pass meets this only
 * when its first sheet's shape was not found remembered, or was found with another layout's
 * answers (ones remembered for a workbook of more sheets, say).
 */
class RememberedAnswersApply extends Error {
  constructor(
    readonly profile: StoredProfile | null,
    readonly merged: MappingProfile,
  ) {
    super("remembered answers apply");
  }
}

/** What the reader is told to read with, for a workbook's answers (remembered ones merged in). */
function readerAnswers(answers: MappingProfile): SheetAnswers {
  return {
    profile: answers,
    ...(answers.kind ? { kind: answers.kind } : {}),
    ...(answers.measure ? { measure: answers.measure } : {}),
  };
}

/** Ends the transaction without writing: the file has errors, or this is a dry run. */
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
  // The one reader of typed periods: refuses anything but YYYY-MM, and takes the spaces off.
  const period = parseReportingPeriodArgument(options.period, "--period");
  if (period !== null) options = { ...options, period };
  const file0 = options.displayName ?? basename(path);
  const given = givenAnswers(options, file0);
  if (hasAnswers(given)) options = { ...options, profile: given };
  const limits = { ...DEFAULT_IMPORT_LIMITS, ...options.limits };
  const file = file0;
  const readerInput: ReadWorkerInput = {
    path,
    file,
    ...(options.kind ? { kind: options.kind } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...((options.measure ?? options.profile?.measure)
      ? { measure: options.measure ?? options.profile?.measure }
      : {}),
    limits,
    batchRows: READ_BATCH_ROWS,
    // Remembered answers are looked up by the first sheet's shape, before the rest is read.
    ...(options.rememberAnswers ? { asksAnswers: true } : {}),
  };
  // Started now, so that a worker loads its modules while the file is checked and the transaction opens.
  const reader = startReader(readerInput);
  const readersLeft: Readers = { first: reader, input: readerInput };
  let report: ImportReport;
  try {
    report = await importChecked(
      orm,
      path,
      options,
      limits,
      file,
      started,
      readersLeft,
    );
  } catch (error) {
    // PostgreSQL's statement_timeout is the hub's limit, not a fault of the file: not "unreadable-file".
    if (isStatementTimeout(error))
      throw TimedOutError.statementDuringImport(file);
    throw error;
  } finally {
    await reader.stop();
    // A later pass's reader kept for one more that never came.
    await readersLeft.first?.stop();
  }
  return report;
}

/**
 * Reads the cells around the report's problems (importers/problem-grids.ts) while the file is still
 * there. Called before the run's result is written, in its transaction, so that the run (and an
 * import job's report, written by onResult) has its grids from the moment it is finished: a page
 * polling a job never sees it refused without them.
 */
async function withProblemGrids(
  report: ImportReport,
  limits: ImportLimits,
): Promise<ImportReport> {
  const headerRows = new Map(
    report.sheets.map((s) => [s.sheet, s.header?.headerRow ?? null]),
  );
  const grids = await readProblemGrids(
    report.path,
    report.file,
    report.problems,
    headerRows,
    limits,
  );
  return { ...report, problemGrids: grids };
}

/**
 * A reader for the workbook: a worker thread with a bounded heap from `workerFromBytes` up, else this
 * thread (a small workbook's garbage is small, and a worker takes a few hundred milliseconds to start);
 * replayable, so that a pass starting again with the exclusive lock reads on from it.
 */
function startReader(input: ReadWorkerInput): ReplayableWorkbookReader {
  let bytes = Number.POSITIVE_INFINITY;
  try {
    bytes = statSync(input.path).size;
  } catch {
    // Missing or unreadable: the guard says so.
  }
  return new ReplayableWorkbookReader(
    bytes >= input.limits.workerFromBytes
      ? new WorkbookReaderThread(input)
      : new InProcessWorkbookReader(input),
  );
}

/** The reader for the next pass (the first's, or one the pass before can hand on), and how to start another. */
interface Readers {
  first: ReplayableWorkbookReader | null;
  input: ReadWorkerInput;
}

/** importWorkbook once the options are checked and the reader started. */
async function importChecked(
  orm: MikroORM,
  path: string,
  options: ImportOptions,
  limits: ImportLimits,
  file: string,
  started: number,
  readers: Readers,
): Promise<ImportReport> {
  const problems = new ProblemCollector(file);
  const guarded = await guardWorkbookFile(path, limits, problems);
  // Let through: the reader reads on while the run, its locks and the directory are set up.
  if (guarded) readers.first?.start({ mergedRanges: guarded.mergedRanges });
  await markInterruptedRuns(orm.em.fork());
  const lease = await ImportRunLease.take(orm, {
    fileName: file,
    sha256: guarded?.sha256 ?? "",
    kind: "",
    reportingPeriod: options.period ?? null,
    runBy: options.runBy ?? operator(),
  });
  try {
    return await importLeased(orm, lease.run, {
      path,
      options,
      limits,
      file,
      started,
      readers,
      problems,
      guarded,
    });
  } catch (error) {
    // Nothing of the run was written; say so on its row now rather than at the next start.
    await lease.interrupt(
      `${INTERRUPTED_REASON} (${error instanceof Error ? error.message : String(error)})`,
    );
    if (isConnectionLoss(error))
      throw DatabaseUnavailableError.lostDuringImport(file, error);
    throw error;
  } finally {
    await lease.release();
  }
}

/** What importLeased is given besides the run. */
interface LeasedInput {
  path: string;
  options: ImportOptions;
  limits: ImportLimits;
  file: string;
  started: number;
  readers: Readers;
  problems: ProblemCollector;
  guarded: Awaited<ReturnType<typeof guardWorkbookFile>>;
}

/**
 * The passes over the workbook for a RUNNING run. The run's result (status, counts, problems) and
 * the caller's audit event are written in the transaction that writes the figures, so a crash
 * leaves either all of them or none; refused files and dry runs write them once the import's
 * transaction has rolled back.
 */
async function importLeased(
  orm: MikroORM,
  run: ImportRun,
  input: LeasedInput,
): Promise<ImportReport> {
  const { path, file, started, readers, guarded } = input;
  let options = input.options;
  let problems = input.problems;
  const guardProblems = [...problems.problems];
  // What was given (the import's own options), kept apart from remembered answers merged in later.
  const given = options.profile ?? {};
  const readAsGiven = readers.input;
  let remembered: StoredProfile | null = null;
  // Read with the answers remembered for a file's whole shape (or as given, none being remembered),
  // decided at the end of a pass under the profile's lock: nothing more to look up.
  let answersSettled = false;
  const useAnswers = (
    profile: StoredProfile | null,
    merged: MappingProfile,
  ) => {
    remembered = profile;
    options = { ...options, profile: merged };
    readers.input = withAnswers(
      { ...readAsGiven, asksAnswers: false },
      readerAnswers(merged),
    );
  };
  let saved: SavedProfile | null = null;
  // The last import of the same bytes; looked up again under the import's locks when it ends, so
  // that of two identical uploads at once the second names the first.
  const lastImportOfFile = async (em: EntityManager) =>
    guarded
      ? em.findOne(
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
  let previous = await lastImportOfFile(orm.em.fork());

  let sheets: SheetSummary[] = [];
  let pass = passNotYetRead(options.period);
  const report = (result: PassResult): ImportReport => {
    if (result.status === ImportStatus.REFUSED)
      for (const summary of sheets)
        Object.assign(summary, {
          created: 0,
          updated: 0,
          unchanged: 0,
          removed: 0,
        });
    const created =
      result.status === ImportStatus.REFUSED ? [] : result.created;
    return {
      importRunId: run.id,
      file,
      path,
      sha256: guarded?.sha256 ?? null,
      status: result.status,
      dryRun: options.dryRun ?? false,
      reportingPeriod: result.workbookPeriod,
      reportingPeriodSource: result.periodSource,
      sheets,
      created,
      problems: problems.problems,
      errorCount: problems.errorCount,
      warningCount: problems.warningCount,
      omittedProblems: problems.omitted,
      skippedRows: result.skippedRows,
      sameFileAs: previous?.id ?? null,
      shapeKey: result.shape?.key ?? null,
      answers:
        options.profile && hasAnswers(options.profile) ? options.profile : null,
      rememberedAnswers: remembered,
      savedProfile: saved,
      durationMs: Date.now() - started,
      problemGrids: [],
    };
  };
  let written: ImportReport | null = null;
  const finish = async (em: EntityManager, result: PassResult) => {
    if (
      options.rememberAnswers &&
      !options.dryRun &&
      result.shape &&
      hasAnswers(given) &&
      (result.status === ImportStatus.IMPORTED ||
        result.status === ImportStatus.IMPORTED_WITH_SKIPPED_ROWS)
    )
      saved = await saveImportProfile(em, {
        shape: result.shape,
        answers: options.profile ?? given,
        importRunId: run.id,
        fileName: file,
        reportingPeriod: result.workbookPeriod,
      });
    previous = await lastImportOfFile(em);
    const done = await withProblemGrids(report(result), input.limits);
    await recordRunResult(em, done);
    options.audit?.(em, done);
    await options.onResult?.(em, done);
    written = done;
  };

  // Remembered answers are looked up by the first sheet's shape as soon as the reader knows it, and
  // the workbook is read on with them; once every sheet is read, those remembered for its whole
  // shape are looked up under the profile's lock, and when they are not what the pass read with (a
  // rare file whose first sheet is another layout's), it is read once more with them (the pass wrote
  // nothing). Shared until a pass finds it must change the directory (see ImportLocks); exclusive from then on.
  let exclusive = false;
  for (let attempt = 0; guarded && attempt < 2; attempt++) {
    let readAgain = false;
    // Streaming figures while reading is the fast path; when a streamed figure turns out repeated
    // in the workbook, or on a row skipped afterwards (rare), the file is imported once more without it.
    const modes = options.streaming === false ? [false] : [true, false];
    let lockedAgain = false;
    for (let mode = 0; mode < modes.length; mode++) {
      const streaming = modes[mode]!;
      sheets = [];
      written = null;
      pass = passNotYetRead(options.period);
      if (!streaming || attempt > 0 || lockedAgain) {
        problems = new ProblemCollector(file);
        // The guard's problems (a misnamed file) hold for every pass.
        for (const problem of guardProblems) problems.add(problem);
      }
      const reader = readers.first ?? startReader(readers.input);
      readers.first = null;
      try {
        pass = await importSheets(orm, reader, {
          options,
          limits: input.limits,
          file,
          run,
          problems,
          sheets,
          totalBytes: guarded.bytes,
          knows: { mergedRanges: guarded.mergedRanges },
          streaming,
          finish,
          remembering:
            options.rememberAnswers && !answersSettled
              ? {
                  given,
                  periodGiven: options.period !== undefined,
                  firstSheet: remembered === null,
                  use: useAnswers,
                }
              : null,
          exclusive,
          savesAnswers:
            (options.rememberAnswers ?? false) &&
            !options.dryRun &&
            hasAnswers(given),
        });
      } catch (error) {
        if (error instanceof StreamedFigureUndone) continue;
        if (error instanceof NeedsExclusiveImportLock && !exclusive) {
          // Rolled back before it wrote anything another import could see: the same pass again,
          // reading on from where this one stopped when it had taken nothing it wrote from.
          if (reader.canReadOn) readers.first = reader;
          exclusive = true;
          lockedAgain = true;
          mode--;
          continue;
        }
        // Stopped on purpose (cancelled, or the worker shutting down): not a problem of the file.
        if (options.signal?.aborted) throw error;
        if (error instanceof RememberedAnswersApply) {
          useAnswers(error.profile, error.merged);
          answersSettled = true;
          written = null;
          readAgain = true;
          break;
        }
        const faultState = databaseFaultState(error);
        if (error instanceof SheetTooLarge) pass.status = ImportStatus.REFUSED;
        else if (
          error instanceof BadInputError ||
          error instanceof DatabaseUnavailableError ||
          isConnectionLoss(error) ||
          isStatementTimeout(error)
        )
          throw error;
        // PostgreSQL refused a statement (a deadlock, a grant, a trigger): the database's fault, which
        // a job retries, never "unreadable-file".
        else if (faultState !== null)
          throw DatabaseFaultError.duringImport(file, faultState, error);
        else if (error instanceof WorkbookReadIncomplete) {
          // The guard has read every entry of this zip: the file is sound, and its reading failed.
          problems.add({
            code: "unreadable-file",
            message: `${file} was not read completely, twice (${error.message}): the file itself is sound, so import it again, and report it if it happens again.`,
          });
          pass.status = ImportStatus.REFUSED;
        } else {
          problems.add({
            code: "unreadable-file",
            message: `${file} could not be read as a workbook (${error instanceof Error ? error.message : String(error)}): open it in Excel, save it as .xlsx and import it again.`,
          });
          pass.status = ImportStatus.REFUSED;
        }
      }
      break;
    }
    if (!readAgain) break;
  }
  if (written) return written;
  // Refused, or a dry run: its transaction rolled back, and only the run's result is left to write.
  const result = pass;
  return orm.em.fork().transactional(async (em) => {
    await finish(em, result);
    return written!;
  });
}

/** Writes a run's result onto its RUNNING row; throws when someone marked it INTERRUPTED meanwhile. */
async function recordRunResult(
  em: EntityManager,
  report: ImportReport,
): Promise<void> {
  const updated = await em.nativeUpdate(
    ImportRun,
    { id: report.importRunId, status: ImportStatus.RUNNING },
    {
      status: report.status,
      kind: [...new Set(report.sheets.map((s) => s.kind).filter(Boolean))].join(
        ",",
      ),
      reportingPeriod: report.reportingPeriod,
      rowCounts: {
        sheets: report.sheets,
        created: report.created,
        skippedRows: report.skippedRows,
        sameFileAs: report.sameFileAs,
        errors: report.errorCount,
        warnings: report.warningCount,
      },
      problems: report.problems,
      ...(report.problemGrids.length > 0
        ? { problemGrids: report.problemGrids }
        : {}),
      finishedAt: new Date(),
    },
  );
  if (updated !== 1)
    throw new Error(
      `import run #${report.importRunId} is no longer RUNNING: it was marked INTERRUPTED while it ran (its lease was lost)`,
    );
}

/** What importSheets is given. */
interface SheetsInput {
  options: ImportOptions;
  limits: ImportLimits;
  file: string;
  run: ImportRun;
  problems: ProblemCollector;
  /** Filled with one summary per sheet, in workbook order. */
  sheets: SheetSummary[];
  totalBytes: number;
  /** What the guard learnt of the file that its reader uses (an .xlsx's merged ranges). */
  knows: ReaderKnows;
  /** Write savings figures while the sheet is read (see SavingsStream). */
  streaming: boolean;
  /** Writes the run's result in the transaction, just before it commits (not for dry runs). */
  finish: (em: EntityManager, result: PassResult) => Promise<void>;
  /**
   * Look up remembered answers for the workbook's shape (null: not asked for, or settled):
   * `firstSheet`, by its first sheet's shape too as soon as the reader tells it, reading on with
   * them (`use` makes them the import's).
   */
  remembering: {
    given: MappingProfile;
    periodGiven: boolean;
    firstSheet: boolean;
    use: (profile: StoredProfile, merged: MappingProfile) => void;
  } | null;
  /** Hold the import lock exclusive (see ImportLocks), not shared. */
  exclusive: boolean;
  /** Remember the answers given for the workbook's shape, if it imports. */
  savesAnswers: boolean;
}

/** What one pass over the workbook decided. */
interface PassResult {
  created: CreatedRecord[];
  skippedRows: number;
  status: ImportStatus;
  workbookPeriod: string | null;
  periodSource: string | null;
  /** The workbook's shape, once every sheet has been read. */
  shape: WorkbookShape | null;
}

/** A pass before anything is read: refused until its sheets say otherwise, its period `--period`'s if given. */
function passNotYetRead(period: string | undefined): PassResult {
  return {
    created: [],
    skippedRows: 0,
    status: ImportStatus.REFUSED,
    workbookPeriod: period ?? null,
    periodSource: period ? "--period" : null,
    shape: null,
  };
}

function emptySummary(
  sheet: string,
  status: SheetSummary["status"],
): SheetSummary {
  return {
    sheet,
    kind: null,
    status,
    rowsRead: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
    problems: 0,
    period: null,
    periodSource: null,
    header: null,
  };
}

/**
 * One pass over the workbook in one transaction: the worker reads sheets and hands over records and
 * batches of figures; this thread resolves and writes them. Throws StreamedFigureUndone when streamed
 * figures must be written again the slow way.
 */
async function importSheets(
  orm: MikroORM,
  reader: WorkbookReader,
  input: SheetsInput,
): Promise<PassResult> {
  const { problems, sheets, run } = input;
  // The answers read with: remembered ones may be merged in once the first sheet's shape is known.
  let options = input.options;
  const pauseFraction = crashTestPauseFraction();
  const outcome = passNotYetRead(options.period);
  const shapes: SheetShape[] = [];
  // Where the month is in the file name, as remembered or given in a mapping profile.
  let layout = options.profile?.periodInFileName;
  const periodInLayout = () =>
    layout && !options.period ? periodFromFileName(input.file, layout) : null;
  let layoutPeriod = periodInLayout();
  // The answers remembered for the first sheet's layout with those given on top, when they add any
  // (the import's from then on); null: read on as given.
  const firstSheetAnswers = async (
    em: EntityManager,
    shape: SheetShape,
  ): Promise<MappingProfile | null> => {
    const remembering = input.remembering;
    if (!remembering?.firstSheet) return null;
    const found = await findImportProfileByFirstSheet(em, shape);
    if (!found) return null;
    const merged = mergeAnswers(
      remembering.given,
      found.answers,
      remembering.periodGiven,
    );
    if (sameAnswers(merged, remembering.given)) return null;
    remembering.use(found, merged);
    return merged;
  };
  try {
    await orm.em.fork().transactional(async (em) => {
      // Before anything is read from the database: what follows decides against what it holds.
      const locks = await ImportLocks.take(em, {
        exclusive: input.exclusive,
        dryRun: options.dryRun ?? false,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      await createSavingsStaging(em);
      const directory = await PartnershipDirectory.load(
        em,
        run,
        problems,
        (what) => locks.mayChangeDirectory(what),
      );
      // The lock of the figures a savings sheet writes for its month: its partnership's when the
      // sheet names one that exists and its rows name none, else the whole month's.
      const lockSheetFigures = async (
        reading: SheetReading,
        period: string,
        sheetResolver: SavingsSheetResolver<Partnership> | null,
      ) => {
        const named =
          reading.map.roles.get("partnership") === undefined
            ? sheetResolver?.partnership()
            : undefined;
        const partnership =
          named?.kind === "named"
            ? directory.findPartnership(named.name)
            : null;
        await locks.source(partnership?.id ?? null, period);
      };
      const context: SheetWriteContext = {
        em,
        directory,
        problems,
        lookup: new CouncilLookup(CouncilRegister.default()),
        partnership:
          options.partnership ?? options.profile?.partnership ?? null,
        skipInvalidRows: options.skipInvalidRows ?? false,
      };
      const streamed = new Map<string, SavingsStream>();
      // The services whose service-list estimates this import stages (their estimatedAnnualSaving follows).
      const estimateServices = new Set<Service>();
      const freshPeriods = new Set<string>();
      const checkedPeriods = new Set<string>();
      const keys = input.streaming
        ? await ReferencedKeys.forTransaction(em, run.id)
        : null;
      let stream: SavingsStream | null = null;
      let resolver: SavingsSheetResolver<Partnership> | null = null;
      // The figures of the sheet being read, as their batches arrive.
      let figures = new SavingsRows();
      let summary = emptySummary("", "read");
      let counts: RecordCounts = {
        created: 0,
        updated: 0,
        unchanged: 0,
        removed: 0,
      };
      let before = 0;
      let rowsSeen = 0;
      let stagedAny = false;
      // The first period a sheet read from its own title or name stands for the sheets naming none.
      let workbookSource: PeriodSource | null = null;
      const periodOf = (sheet: SheetReading) =>
        decideReportingPeriod({
          option: options.period ?? null,
          title: sheet.title,
          sheetName: sheet.name,
          fileName: input.file,
          workbook: workbookSource,
          fileNameLayout: layoutPeriod
            ? {
                kind: "file-name",
                period: layoutPeriod,
                place: `the file name "${input.file}" (its month written ${layout})`,
              }
            : null,
        });
      try {
        for await (const { event, problems: found } of reader.events(
          input.knows,
        )) {
          for (const problem of found) problems.add(problem);
          switch (event.type) {
            case "progress":
              options.signal?.throwIfAborted();
              rowsSeen = event.rows;
              if (
                pauseFraction !== null &&
                event.bytesRead >= pauseFraction * input.totalBytes
              )
                await crashTestPause(pauseFraction === 0.3 ? "30%" : "70%");
              options.onProgress?.({
                bytesRead: event.bytesRead,
                totalBytes: input.totalBytes,
                rows: event.rows,
                sheet: summary.sheet || null,
              });
              break;
            case "shape": {
              shapes.push(event.shape);
              if (!event.asks) break;
              const answers = await firstSheetAnswers(em, event.shape);
              reader.answer(answers && readerAnswers(answers));
              if (!answers) break;
              // Nothing has been decided from the answers yet: the first sheet's header is next.
              options = { ...options, profile: answers };
              context.partnership =
                options.partnership ?? answers.partnership ?? null;
              layout = answers.periodInFileName;
              layoutPeriod = periodInLayout();
              break;
            }
            case "sheet":
              before = problems.errorCount + problems.warningCount;
              summary = emptySummary(
                event.name,
                event.hidden ? "hidden" : "read",
              );
              counts = { created: 0, updated: 0, unchanged: 0, removed: 0 };
              sheets.push(summary);
              stream = null;
              resolver = null;
              figures = new SavingsRows();
              if (event.hidden) {
                problems.add({
                  code: "hidden-sheet",
                  sheet: event.name,
                  message: `Sheet "${event.name}" is hidden and was skipped: unhide it in Excel if it should be imported.`,
                });
                summary.problems = 1;
              }
              break;
            case "header": {
              const reading = withFigures(event.reading, figures);
              summary.header = sheetReadingFacts(reading, {
                partnership: context.partnership,
                measure: options.measure ?? options.profile?.measure ?? null,
              });
              const period = periodOf(reading).period;
              const sheetContext = datedContext(context, period, reading);
              if (!isSavingsReading(reading)) {
                locks.mayChangeDirectory(
                  `sheet "${reading.name}" is a ${reading.kind} list`,
                );
                break;
              }
              // One resolver per savings sheet, fed as it is read, for the streaming writer and the
              // sheet's end alike.
              resolver = new SavingsSheetResolver(
                sheetContext.lookup,
                reading.title,
                context.partnership,
                directory,
                reading.savings,
              );
              if (!period) break;
              await lockSheetFigures(reading, period, resolver);
              if (!checkedPeriods.has(period)) {
                checkedPeriods.add(period);
                if (!(await periodHasFigures(em, period)))
                  freshPeriods.add(period);
              }
              if (input.streaming) {
                stream = new SavingsStream(
                  reading,
                  sheetContext,
                  resolver,
                  period,
                  run.id,
                  counts,
                  keys,
                  freshPeriods.has(period),
                );
                streamed.set(reading.name, stream);
              }
              break;
            }
            case "savings": {
              const from = figures.length;
              figures.append(event.batch);
              releaseBatch(event.batch);
              resolver?.read(from);
              await stream?.take();
              break;
            }
            case "end": {
              await stream?.settle();
              if (!event.reading) {
                summary.status = "unknown";
              } else {
                const sheet = withFigures(event.reading, figures);
                Object.assign(summary, {
                  kind: sheet.kind,
                  rowsRead: sheet.rowsRead,
                });
                const decided = periodOf(sheet);
                if (decided.source) {
                  summary.period = decided.period;
                  summary.periodSource = decided.source.place;
                  if (
                    !workbookSource &&
                    (decided.source.kind === "title" ||
                      decided.source.kind === "sheet-name")
                  )
                    workbookSource = { ...decided.source, kind: "workbook" };
                  if (!outcome.workbookPeriod) {
                    outcome.workbookPeriod = decided.period;
                    outcome.periodSource = decided.source.place;
                  }
                }
                if (isSavingsReading(sheet)) {
                  if (decided.period)
                    await lockSheetFigures(sheet, decided.period, resolver);
                } else
                  locks.mayChangeDirectory(
                    `sheet "${sheet.name}" is a ${sheet.kind} list`,
                  );
                stagedAny =
                  (await writeSheet(
                    sheet,
                    datedContext(context, decided.period, sheet),
                    counts,
                    decided,
                    resolver,
                    stream,
                    estimateServices,
                  )) || stagedAny;
                await em.flush();
              }
              Object.assign(summary, {
                created: counts.created,
                updated: counts.updated,
                unchanged: counts.unchanged,
                problems: problems.errorCount + problems.warningCount - before,
              });
              break;
            }
            case "failed":
              if (event.tooLarge) {
                if (problems.errorCount === 0)
                  problems.add({
                    code: "too-large",
                    message: `${input.file} needs more than the ${input.limits.maxReaderHeapMb} MB the importer may use to read a workbook (its text cells take too much memory): split it into smaller workbooks.`,
                  });
                throw new SheetTooLarge();
              }
              if (event.incomplete)
                throw new WorkbookReadIncomplete(event.message);
              throw new Error(event.message);
            case "done":
              break;
          }
        }
      } finally {
        // Never leave a statement running when the transaction ends.
        for (const s of streamed.values())
          await s.settle().catch(() => undefined);
      }
      outcome.shape = workbookShape(shapes);
      if (options.rememberAnswers)
        await locks.profile(outcome.shape.key, input.savesAnswers);
      if (input.remembering) {
        // Under the profile's lock: the answers of the whole shape are those the pass must have used.
        const { given, periodGiven } = input.remembering;
        const profile = await findImportProfile(em, outcome.shape.key);
        const wanted = profile
          ? mergeAnswers(given, profile.answers, periodGiven)
          : given;
        if (!sameAnswers(wanted, options.profile ?? {}))
          throw new RememberedAnswersApply(
            profile && !sameAnswers(wanted, given) ? profile : null,
            wanted,
          );
      }
      if (rowsSeen === 0 && sheets.every((s) => s.status !== "hidden"))
        problems.add({
          code: "empty-file",
          message: `${input.file} has no rows in any sheet: there is nothing to import.`,
        });
      else if (!sheets.some((s) => s.status === "read"))
        problems.add({
          code: "no-readable-sheet",
          message: `No sheet of ${input.file} could be read as a service list, savings tracker, governance list or funding list.`,
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
      if (options.skipInvalidRows && streamedRowIsInvalid(streamed, problems))
        throw new StreamedFigureUndone(
          "a streamed figure's row turned out invalid",
        );
      for (const [, rows] of problems.invalidRows)
        outcome.skippedRows += rows.size;
      if (stagedAny) {
        if (options.skipInvalidRows)
          await dropStagedRows(
            em,
            [...problems.invalidRows].flatMap(([sheet, rows]) =>
              [...rows].map((row) => ({ sheet, row })),
            ),
          );
        if ([...streamed.values()].some((s) => s.unstaged > 0))
          await assertNoRepeatOfUnstaged(em, run.id, freshPeriods);
        const applied = await applySavingsFigures(
          em,
          run.id,
          streamed,
          freshPeriods,
        );
        await deriveEstimatedAnnualSavings(
          em,
          [...estimateServices].map((s) => s.id),
          applied.removedEstimates,
        );
        // A sheet's figures are counted on its line, or on its tracker's when it has two tables.
        const counted = new Map<string, SheetSummary>();
        for (const summary of sheets)
          if (
            !counted.has(summary.sheet) ||
            summary.kind === "savings-long" ||
            summary.kind === "savings-wide"
          )
            counted.set(summary.sheet, summary);
        for (const summary of counted.values()) {
          const c = applied.counts.get(summary.sheet);
          if (!c) continue;
          summary.created += c.created;
          summary.updated += c.updated;
          summary.unchanged += c.unchanged;
          summary.removed += c.removed;
        }
      }
      outcome.created = directory.created;
      outcome.status = options.dryRun
        ? ImportStatus.DRY_RUN
        : outcome.skippedRows > 0
          ? ImportStatus.IMPORTED_WITH_SKIPPED_ROWS
          : ImportStatus.IMPORTED;
      if (options.dryRun) throw new Rollback();
      await input.finish(em, outcome);
      await crashTestPause("commit");
    });
    if (!options.dryRun) await crashTestPause("committed");
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return outcome;
}

/**
 * Writes one read sheet by its kind; true when it staged savings figures. A service list's services
 * whose estimates it staged are added to `estimateServices`.
 */
async function writeSheet(
  reading: SheetReading,
  context: SheetWriteContext,
  counts: RecordCounts,
  decided: SheetPeriod,
  resolver: SavingsSheetResolver<Partnership> | null,
  stream: SavingsStream | null,
  estimateServices: Set<Service>,
): Promise<boolean> {
  const period = decided.period;
  switch (reading.kind) {
    case "services": {
      const written = writeServiceSheet(reading, context, counts);
      const staged = await stageServiceEstimates(
        reading,
        context,
        decided,
        written.services,
        written.submitter,
      );
      if (staged) {
        for (const { service } of written.services)
          estimateServices.add(service);
        // Its reporting month is the figures' as a tracker's is: places that disagree are reported alike.
        reportPeriodProblems(reading, decided, context.problems);
      }
      return staged;
    }
    case "governance":
      await writeGovernanceSheet(reading, context, counts);
      return false;
    case "funding":
      await writeFundingSheet(reading, context, counts);
      return false;
  }
  reportPeriodProblems(reading, decided, context.problems);
  const decisions = resolver!.end();
  if (!period) {
    const written = reading.title.badPeriod ?? decided.needsYear;
    context.problems.add({
      code: "bad-period",
      sheet: reading.name,
      ...(reading.title.cells.period
        ? { cell: reading.title.cells.period }
        : {}),
      ...(written ? { value: written } : {}),
      message: decided.needsYear
        ? `"${decided.needsYear}" does not say which financial year it is a period of, and neither do the title, the sheet name or the file name: write "P3 2010/11", or import with --period 2010-06.`
        : reading.title.badPeriod
          ? `"${reading.title.badPeriod}" is not a reporting month: write "Period: June 2010" above the table, or import with --period 2010-06.`
          : `Savings tracker "${reading.name}" does not say which month it reports (not in its title lines, its sheet name or the file name): add "Period: June 2010" above the table, or import with --period 2010-06.`,
    });
    // Its councils and services are still checked: one pass reports everything.
    await stageSavingsSheet(reading, context, null, counts, decisions);
    return false;
  }
  await stageSavingsSheet(
    reading,
    context,
    period,
    counts,
    decisions,
    stream?.services,
  );
  return true;
}

/** The write context with councils read as of the sheet's date (see councilsAsOf). */
function datedContext(
  context: SheetWriteContext,
  period: string | null,
  reading: SheetReading,
): SheetWriteContext {
  const lookup = context.lookup.asOf(councilsAsOf(period, reading.title));
  return lookup === context.lookup ? context : { ...context, lookup };
}

/** Reports every place of a sheet naming another month than the one its period was taken from. */
function reportPeriodProblems(
  reading: SheetReading,
  decided: SheetPeriod,
  problems: ProblemCollector,
): void {
  const source = decided.source;
  if (!source) return;
  for (const other of decided.disagreements)
    problems.add({
      code: "bad-period",
      // --period settles it; the workbook's own places disagreeing is for the analyst to correct.
      severity: source.kind === "option" ? "warning" : "error",
      sheet: reading.name,
      ...(reading.title.cells.period
        ? { cell: reading.title.cells.period }
        : {}),
      value: other.period,
      message:
        source.kind === "option"
          ? `--period ${source.period} was used, but ${other.place} says ${other.period}.`
          : `${source.place} says the period is ${source.period}, but ${other.place} says ${other.period}: correct one of them, or import with --period.`,
    });
}

/** Whether a figure written while streaming belongs to a row found invalid afterwards. */
function streamedRowIsInvalid(
  streamed: ReadonlyMap<string, SavingsStream>,
  problems: ProblemCollector,
): boolean {
  for (const [sheet, stream] of streamed) {
    const invalid = problems.invalidRows.get(sheet);
    if (!invalid?.size) continue;
    for (const row of invalid) if (stream.wroteRow(row)) return true;
  }
  return false;
}

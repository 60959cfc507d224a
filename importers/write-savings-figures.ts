import type { EntityManager } from "@mikro-orm/postgresql";
import type { Partnership } from "../schema/partnership.js";
import type { Service } from "../schema/service.js";
import { executeBound } from "./bound-statement.js";
import type { ImportProblem } from "./import-problem.js";
import { columnLetter } from "./locate-header.js";
import { MembershipRole } from "../schema/membership.js";
import type {
  PartnershipDirectory,
  RecordCounts,
  RecordSource,
} from "./partnership-directory.js";
import type { SavingsSheetReading } from "./sheet-reading.js";
import { FigureChunk } from "./figure-chunk.js";
import { collectYoungGarbage, releaseSentBuffers } from "./release-memory.js";
import {
  ANY_REPEATED_SQL,
  APPLY_CHANGED_SQL,
  APPLY_NEW_SQL,
  CREATE_STAGING_SQL,
  figureParameters,
  INSERT_FRESH_SQL,
  REMOVE_UNREPORTED_SQL,
  REPEATED_SQL,
  REPEATS_UNSTAGED_SQL,
  STAGE_AND_APPLY_SQL,
  STAGE_SQL,
  type FigureSource,
} from "./savings-figure-sql.js";
import { writeWithLockedKeys, type ReferencedKeys } from "./referenced-keys.js";
import {
  councilCodes,
  decidedPartnership,
  type SheetWriteContext,
} from "./write-sheet-records.js";
import {
  councilTextIndex,
  datedCouncilKey,
  serviceByName,
  type SavingsSheetDecisions,
} from "./savings-sheet-resolver.js";

/** Rows sent to PostgreSQL in one staging statement. */
export const STAGING_CHUNK_ROWS = 16_384;

/** Creates the file's staging table (dropped at commit or rollback). */
export async function createSavingsStaging(em: EntityManager): Promise<void> {
  await em.execute(CREATE_STAGING_SQL);
}

/**
 * Writes what the sheet's SavingsSheetResolver decided at its end, then stages its figures: reports
 * every council text that names no single council (on each row using it), resolves each distinct
 * (partnership, service, council) text to a service once, so that a million rows cost a handful of
 * look-ups: the row's partnership, else the sheet's, else the service found by name among the
 * council's partnerships; a row with no council is the partnership's total. The submitter is the
 * figures' `reportedBy`. Figures already written while streaming are no longer in the rows; their
 * services are in `streamed`. A sheet with no period (refused for that) is resolved all the same,
 * so that its row problems are reported in the same pass, and nothing is staged.
 */
export async function stageSavingsSheet(
  reading: SavingsSheetReading,
  context: SheetWriteContext,
  period: string | null,
  counts: RecordCounts,
  decisions: SavingsSheetDecisions<Partnership>,
  streamed?: ReadonlyMap<number | string, Service | null>,
): Promise<number> {
  const { directory, problems, em } = context;
  const rows = reading.savings;
  const sheet = reading.name;
  const councilColumn = reading.map.roles.get("council") ?? 0;
  // A cross-tab's council is written in its column's header (the first use's cell), not in the row.
  const headedBy = new Map(
    reading.map.councilFigureColumns.map((c) => [c.council, c.index]),
  );
  const councilCell = (text: string, row: number, column?: number) => {
    const index = headedBy.get(text);
    if (index === undefined) return `${columnLetter(councilColumn)}${row}`;
    return column === undefined
      ? `${columnLetter(index)}${reading.headerRow}`
      : `${columnLetter(column)}${row}`;
  };
  const councilHeader = (text: string) =>
    reading.map.headers[
      headedBy.get(text) ?? reading.map.roles.get("council") ?? -1
    ] ?? "Council";
  const { councilTexts, councilOf, submitter } = decisions;
  // A text read alike in several years (an unknown council in every row) is reported once, at its
  // first row; keys skipped here have their rows reported with the short problem below.
  const readAlike = new Map<number, string>();
  const reportedFirst = new Map<number, number>();
  for (const [key, first] of councilTexts) {
    const index = councilTextIndex(key);
    const text = rows.text(index)!;
    const outcome = JSON.stringify(
      decisions.readings
        .get(key)!
        .map((r) => [
          r.status,
          r.status === "resolved" ? r.council.gssCode : r.text,
        ]),
    );
    if (readAlike.get(index) === outcome) continue;
    readAlike.set(index, outcome);
    reportedFirst.set(key, first);
    const codes = councilCodes(
      decisions.readings.get(key)!,
      {
        sheet,
        cell: councilCell(text, first),
        row: first,
        header: councilHeader(text),
        value: text,
      },
      problems,
    );
    if (codes.length > 1)
      problems.add({
        code: "bad-value",
        sheet,
        row: first,
        cell: councilCell(text, first),
        header: councilHeader(text),
        value: text,
        message: `"${text}" names several councils, but a savings figure belongs to one council (or, left blank, to the partnership).`,
      });
  }
  // Every row with an unresolved council is invalid, not only the first that names it.
  for (let i = 0; i < rows.length; i++) {
    const key = datedCouncilKey(rows, i);
    if (
      key >= 0 &&
      councilOf.get(key) === null &&
      rows.row[i] !== reportedFirst.get(key)
    ) {
      const text = rows.text(councilTextIndex(key))!;
      problems.add({
        code: problemCodeFor(problems.problems, text),
        sheet,
        row: rows.row[i]!,
        cell: councilCell(text, rows.row[i]!, rows.column[i]),
        header: councilHeader(text),
        value: text,
        message: `"${text}" is not a council the importer could decide (see its first use above).`,
      });
    }
  }
  if (decisions.submitterReadings)
    councilCodes(
      decisions.submitterReadings,
      {
        sheet,
        cell: reading.title.cells.submittedBy ?? "A1",
        row: 0,
        header: "Submitted by",
        value: reading.title.submittedBy!,
      },
      problems,
    );

  // The sheet's partnership, for rows that do not name their own (none found: they say unknown-service).
  const sheetLevel =
    decidedPartnership(
      decisions.partnership,
      reading,
      context,
      decisions.listed,
      counts,
    ) ?? undefined;

  // Services: one resolution per distinct (partnership, service, council) text.
  const services = new Map<number | string, Service | null>(streamed);
  const resolveService = (i: number): Service | null => {
    const p = rows.partnership[i]!;
    const s = rows.service[i]!;
    const c = datedCouncilKey(rows, i);
    const memo = serviceMemo(p, s, c);
    if (services.has(memo)) return services.get(memo)!;
    const name = rows.text(s)!;
    const source = {
      sheet,
      cell: `${columnLetter(reading.map.roles.get("service")!)}${rows.row[i]}`,
    };
    const gss = c >= 0 ? (councilOf.get(c) ?? null) : submitter;
    let partnership: Partnership | null = null;
    if (p >= 0)
      partnership = directory.partnership(rows.text(p)!, source, counts);
    else if (sheetLevel) partnership = sheetLevel;
    let service: Service | null = null;
    if (partnership)
      service = serviceInPartnership(
        directory,
        partnership,
        name,
        gss,
        source,
        counts,
      );
    else {
      const found = serviceByName(directory, name, gss);
      if (found.kind === "found") service = found.service;
      else
        problems.add({
          code:
            found.kind === "several"
              ? "unknown-partnership"
              : "unknown-service",
          sheet,
          row: rows.row[i]!,
          cell: source.cell,
          header: reading.map.headers[reading.map.roles.get("service")!] ?? "",
          value: name,
          answer: { option: "partnership" },
          message:
            found.kind === "several"
              ? `"${name}" is a service of several partnerships: add a Partnership column or a "Partnership: NAME" line, or import with --partnership NAME.`
              : `No partnership${gss ? " of this council" : ""} has a service called "${name}": import the service list first, check the spelling, or name the partnership (column, "Partnership:" line or --partnership) so that it can be created.`,
        });
    }
    services.set(memo, service);
    return service;
  };

  // Flush new partnerships and services so that they have ids to stage with.
  for (let i = 0; i < rows.length; i++) resolveService(i);
  await em.flush();
  // With no period the file is refused, but its councils and services are still checked above.
  if (period === null) return 0;

  const reportedBy = submitter ? directory.councilIds.get(submitter)! : null;
  const source = { sheet, period, reportedBy, fromServiceList: false };
  const hasCouncilColumn = reading.map.roles.get("council") !== undefined;
  let staged = 0;
  let chunk = new FigureChunk();
  for (let i = 0; i < rows.length; i++) {
    const row = rows.row[i]!;
    if (problems.rowIsInvalid(sheet, row)) continue;
    const service = resolveService(i);
    if (!service) continue;
    const c = datedCouncilKey(rows, i);
    chunk.push(
      rows,
      i,
      service,
      figureCouncilId(
        c < 0 ? null : (councilOf.get(c) ?? null),
        c < 0,
        submitter,
        hasCouncilColumn,
        directory,
      ),
    );
    staged++;
    if (chunk.length >= STAGING_CHUNK_ROWS) {
      await stageFigures(em, chunk, source);
      chunk = new FigureChunk();
    }
  }
  await stageFigures(em, chunk, source);
  return staged;
}

/** Text indexes below this make a numeric memo key (2^51 at most: exact in a double). */
const MEMO_BASE = 131_072;

/**
 * The key under which a (partnership, service, council) text triple's service is remembered: a
 * number (no string per figure) unless a sheet has more than 131,071 distinct texts.
 */
export function serviceMemo(
  partnership: number,
  service: number,
  council: number,
): number | string {
  const p = partnership + 1;
  const s = service + 1;
  const c = council + 1;
  if (p < MEMO_BASE && s < MEMO_BASE && c < MEMO_BASE)
    return (p * MEMO_BASE + s) * MEMO_BASE + c;
  return `${p}|${s}|${c}`;
}

/** The service of a figure whose partnership is known (created if new); its council becomes a member. */
export function serviceInPartnership(
  directory: PartnershipDirectory,
  partnership: Partnership,
  name: string,
  gss: string | null,
  source: RecordSource,
  counts: RecordCounts,
): Service {
  const { service } = directory.service(partnership, name, source, counts);
  if (gss)
    directory.member(partnership, gss, MembershipRole.MEMBER, source, counts);
  return service;
}

/**
 * Thrown when a figure written while streaming turns out to be repeated in the workbook, or on a row
 * found invalid afterwards (with --skip-invalid-rows): the file is imported again without
 * streaming, which names every repeat and skips those rows. (What a figure's council, partnership
 * and submitter are never needs it: SavingsSheetResolver answers only what no later row changes.)
 */
export class StreamedFigureUndone extends Error {}

/**
 * The council a figure belongs to: the council its row names; for a blank council cell in a sheet
 * with no council column, the submitter; else none (the partnership's own total).
 */
export function figureCouncilId(
  gss: string | null,
  blank: boolean,
  submitter: string | null,
  hasCouncilColumn: boolean,
  directory: PartnershipDirectory,
): number | null {
  if (gss) return directory.councilIds.get(gss)!;
  return blank && submitter && !hasCouncilColumn
    ? directory.councilIds.get(submitter)!
    : null;
}

/** Stages a chunk of figures (to be compared with the stored ones by applySavingsFigures). */
export async function stageFigures(
  em: EntityManager,
  chunk: FigureChunk,
  source: FigureSource,
): Promise<void> {
  if (chunk.length === 0) return;
  await executeChunk(em, STAGE_SQL, figureParameters(source, chunk.arrays()));
}

/**
 * Runs a chunk's statement, then frees the chunk's binary arrays and node-postgres's copies of them
 * at once (a few MB a chunk), so that a million figures do not leave tens of MB of buffers waiting
 * for a collection (see collectYoungGarbage).
 */
async function executeChunk<T>(
  em: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  try {
    return await executeBound<T>(em, sql, parameters);
  } finally {
    releaseSentBuffers(parameters);
    collectYoungGarbage();
  }
}

/**
 * Stages a chunk of figures and writes them at once with the monthly rule (new figures inserted,
 * changed ones updated, unchanged ones untouched), in one statement: the streaming path, for
 * figures whose service and council were decided while the sheet was still being read. Within a
 * chunk a repeated key keeps its first row (the repeat is reported as duplicate-row at the end).
 * Rows go in the unique index's order, which keeps its B-tree insertions on pages just used.
 */
export async function stageAndApplyFigures(
  em: EntityManager,
  chunk: FigureChunk,
  source: FigureSource,
  importRunId: number,
  keys: ReferencedKeys | null,
): Promise<{ created: number; updated: number }> {
  if (chunk.length === 0) return { created: 0, updated: 0 };
  const [result] = await writeWithLockedKeys(
    em,
    keys,
    chunk,
    source.reportedBy,
    () =>
      executeChunk<{ created: number; updated: number }>(
        em,
        STAGE_AND_APPLY_SQL,
        figureParameters(source, chunk.arrays(), importRunId),
      ),
  );
  return result!;
}

/**
 * Writes a chunk of figures of a reporting period that had none before this import: nothing can
 * conflict but a figure repeated in the file, so a plain INSERT does (no staging, no comparison),
 * and a repeat fails it with a unique violation, turned into StreamedFigureUndone so that the file is
 * imported again the slow way, which names every repeated row. Returns how many were written.
 */
export async function insertFigures(
  em: EntityManager,
  chunk: FigureChunk,
  source: FigureSource,
  importRunId: number,
  keys: ReferencedKeys | null,
): Promise<number> {
  if (chunk.length === 0) return 0;
  await writeWithLockedKeys(em, keys, chunk, source.reportedBy, async () => {
    try {
      await executeChunk(
        em,
        INSERT_FRESH_SQL,
        figureParameters(source, chunk.arrays(), importRunId),
      );
    } catch (error) {
      if ((error as { code?: string }).code === "23505")
        throw new StreamedFigureUndone("a figure is repeated in the workbook");
      throw error;
    }
  });
  return chunk.length;
}

function problemCodeFor(
  problems: readonly ImportProblem[],
  text: string,
): "unknown-council" | "ambiguous-council" {
  return problems.find(
    (p) => p.value === text && p.code === "ambiguous-council",
  )
    ? "ambiguous-council"
    : "unknown-council";
}

/**
 * Figures staged twice (same service, council, year, measure, kind, period and source): the later
 * rows. A hash aggregate first asks whether any key repeats (a million rows in under a second); only
 * then are the rows ranked to name each repeat and its first.
 */
export async function findDuplicateFigures(em: EntityManager): Promise<
  {
    sheet: string;
    row: number;
    cell: string;
    first_sheet: string;
    first_cell: string;
  }[]
> {
  await em.execute("set local work_mem = '64MB'");
  const [repeated] = await em.execute<{ found: boolean }[]>(ANY_REPEATED_SQL);
  if (!repeated?.found) return [];
  return em.execute(REPEATED_SQL);
}

/** What streaming wrote for one sheet: created and updated figures, and those written unstaged. */
export interface StreamedCounts {
  created: number;
  updated: number;
  /** Figures of a fresh period, inserted without going through the staging table. */
  unstaged: number;
}

/**
 * Throws StreamedFigureUndone when a figure staged after streaming repeats one streamed without staging
 * (only a fresh period's figures are streamed that way, so any match is a repeat in the workbook).
 */
export async function assertNoRepeatOfUnstaged(
  em: EntityManager,
  importRunId: number,
  freshPeriods: ReadonlySet<string>,
): Promise<void> {
  if (freshPeriods.size === 0) return;
  const [row] = await withHashJoins(em, () =>
    executeBound<{ found: boolean }>(em, REPEATS_UNSTAGED_SQL, [
      [...freshPeriods],
      importRunId,
    ]),
  );
  if (row?.found)
    throw new StreamedFigureUndone("a staged figure repeats a streamed one");
}

/**
 * Runs `body` with nested-loop joins off for this transaction, then restores the setting. The
 * statements comparing staged with stored figures join on coalesced terms no index serves, so a
 * nested loop is a scan of one table per row of the other: quadratic. The planner picks one when it
 * underestimates a side (PostgreSQL 15, just after a first import, before autovacuum has analyzed
 * savings_figure, estimated one row and spent minutes on 40,000 figures); hash joins stay linear
 * whatever the estimates.
 */
async function withHashJoins<T>(
  em: EntityManager,
  body: () => Promise<T>,
): Promise<T> {
  const [before] = await em.execute<{ setting: string }[]>(
    "select current_setting('enable_nestloop') as setting",
  );
  await em.execute("select set_config('enable_nestloop', 'off', true)");
  const restore = () =>
    em.execute("select set_config('enable_nestloop', ?, true)", [
      before?.setting ?? "on",
    ]);
  let result: T;
  try {
    result = await body();
  } catch (error) {
    // In an aborted transaction the restore fails too ("current transaction is aborted"): the
    // body's own error (a deadlock, a refused grant) is the one to report.
    await restore().catch(() => undefined);
    throw error;
  }
  await restore();
  return result;
}

/** Whether any figure of this reporting period is stored (before this import writes any). */
export async function periodHasFigures(
  em: EntityManager,
  period: string,
): Promise<boolean> {
  const [row] = await em.execute<{ found: boolean }[]>(
    "select exists (select 1 from savings_figure where reporting_period = ?) as found",
    [period],
  );
  return row?.found ?? false;
}

/** Removes staged figures of rows that turned out invalid (with --skip-invalid-rows). */
export async function dropStagedRows(
  em: EntityManager,
  rows: { sheet: string; row: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await executeBound(
    em,
    `delete from import_savings s using jsonb_to_recordset($1::jsonb) as x(sheet text, row int)
     where s.sheet = x.sheet and s.row = x.row`,
    [JSON.stringify(rows)],
  );
}

/**
 * Applies the staged figures with the monthly rule, in four statements whatever the row count (figures
 * already written while streaming, `applied`, are only counted, with `streamed`'s counts; periods in
 * `freshPeriods` had no figures before this import, so none can be removed): for
 * each source (partnership, submitter, reporting period) in the file, figures no longer reported are
 * deleted, changed amounts or RAG statuses updated, new figures inserted; unchanged figures are not
 * touched. A service list's estimates and a tracker's figures are sources apart (FigureSource's
 * fromServiceList): neither's import removes the other's. Returns per-sheet
 * created/updated/unchanged and the removed count per sheet of the source, and the services whose
 * service-list estimates were removed.
 */
export async function applySavingsFigures(
  em: EntityManager,
  importRunId: number,
  streamed: ReadonlyMap<string, StreamedCounts>,
  freshPeriods: ReadonlySet<string>,
): Promise<{
  counts: Map<string, RecordCounts>;
  removedEstimates: number[];
}> {
  const counts = new Map<string, RecordCounts>();
  const of = (sheet: string) => {
    let c = counts.get(sheet);
    if (!c)
      counts.set(
        sheet,
        (c = { created: 0, updated: 0, unchanged: 0, removed: 0 }),
      );
    return c;
  };
  for (const [sheet, written] of streamed) {
    of(sheet).created += written.created;
    of(sheet).updated += written.updated;
  }
  // A period with no figures before this import has nothing to remove: skip the anti-join.
  const periods = await em.execute<{ reporting_period: string }[]>(
    "select distinct reporting_period from import_savings",
  );
  const replaced = periods
    .map((p) => p.reporting_period)
    .filter((period) => !freshPeriods.has(period));
  const { removed, updated, inserted } = await withHashJoins(em, async () => ({
    removed: replaced.length
      ? await executeBound<{
          sheet: string;
          n: string;
          estimate_services: number[];
        }>(em, REMOVE_UNREPORTED_SQL, [replaced])
      : [],
    updated: await em.execute<
      { sheet: string; changed: string; moved: string }[]
    >(APPLY_CHANGED_SQL, [importRunId, importRunId]),
    inserted: await em.execute<{ sheet: string; n: string }[]>(APPLY_NEW_SQL, [
      importRunId,
    ]),
  }));
  const removedEstimates = new Set<number>();
  for (const r of removed) {
    of(r.sheet).removed += Number(r.n);
    for (const id of r.estimate_services) removedEstimates.add(id);
  }
  for (const r of updated) of(r.sheet).updated += Number(r.changed);
  for (const r of inserted) of(r.sheet).created += Number(r.n);
  const staged = await em.execute<{ sheet: string; n: string }[]>(
    "select sheet, count(*) as n from import_savings group by sheet",
  );
  const written = new Map(streamed);
  for (const r of staged) {
    const c = of(r.sheet);
    const unstaged = written.get(r.sheet)?.unstaged ?? 0;
    written.delete(r.sheet);
    c.unchanged += Number(r.n) + unstaged - c.created - c.updated;
  }
  for (const [sheet, w] of written)
    of(sheet).unchanged += w.unstaged - w.created - w.updated;
  return { counts, removedEstimates: [...removedEstimates] };
}

import type { EntityManager } from "@mikro-orm/postgresql";
import type { Partnership } from "../schema/partnership.js";
import type { Service } from "../schema/service.js";
import { executeBound } from "./execute-bound.js";
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
import { writeWithLockedKeys, type ReferencedKeys } from "./referenced-keys.js";
import {
  councilCodes,
  decidedPartnership,
  type SheetWriteContext,
} from "./write-sheet-records.js";
import type { SavingsSheetDecisions } from "./savings-sheet-resolver.js";

/** Rows sent to PostgreSQL in one staging statement. */
export const STAGING_CHUNK_ROWS = 16_384;

const STAGING_COLUMNS =
  "sheet text, row int, cell text, service_id int, partnership_id int, council_id int, reported_by_id int, financial_year smallint, measure text, cashable boolean, amount numeric(15,2), reporting_period text, rag_status text, extra jsonb, applied boolean";

/** Creates the file's staging table (dropped at commit or rollback). */
export async function createSavingsStaging(em: EntityManager): Promise<void> {
  await em.execute(
    `create temporary table import_savings (${STAGING_COLUMNS}) on commit drop`,
  );
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
  const councilHeader =
    reading.map.headers[reading.map.roles.get("council") ?? -1] ?? "Council";
  const councilColumn = reading.map.roles.get("council") ?? 0;
  const { councilTexts, councilOf, submitter } = decisions;
  for (const [key, first] of councilTexts) {
    const text = rows.text(key)!;
    const codes = councilCodes(
      decisions.readings.get(key)!,
      {
        sheet,
        cell: `${columnLetter(councilColumn)}${first}`,
        row: first,
        header: councilHeader,
        value: text,
      },
      problems,
    );
    if (codes.length > 1)
      problems.add({
        code: "bad-value",
        sheet,
        row: first,
        cell: `${columnLetter(councilColumn)}${first}`,
        header: councilHeader,
        value: text,
        message: `"${text}" names several councils, but a savings figure belongs to one council (or, left blank, to the partnership).`,
      });
  }
  // Every row with an unresolved council is invalid, not only the first that names it.
  for (let i = 0; i < rows.length; i++) {
    const key = rows.council[i]!;
    if (
      key >= 0 &&
      councilOf.get(key) === null &&
      rows.row[i] !== councilTexts.get(key)
    )
      problems.add({
        code: problemCodeFor(problems.problems, rows.text(key)!),
        sheet,
        row: rows.row[i]!,
        cell: `${columnLetter(councilColumn)}${rows.row[i]}`,
        header: councilHeader,
        value: rows.text(key)!,
        message: `"${rows.text(key)}" is not a council the importer could decide (see its first use above).`,
      });
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
    const c = rows.council[i]!;
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
      const candidates = (gss ? directory.partnershipsOf(gss) : directory.all())
        .map((pp) => directory.findService(pp, name))
        .filter((x): x is Service => x !== null);
      if (candidates.length === 1) service = candidates[0]!;
      else
        problems.add({
          code:
            candidates.length > 1 ? "unknown-partnership" : "unknown-service",
          sheet,
          row: rows.row[i]!,
          cell: source.cell,
          header: reading.map.headers[reading.map.roles.get("service")!] ?? "",
          value: name,
          message:
            candidates.length > 1
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
  const hasCouncilColumn = reading.map.roles.get("council") !== undefined;
  let staged = 0;
  let chunk = new FigureChunk();
  for (let i = 0; i < rows.length; i++) {
    const row = rows.row[i]!;
    if (problems.rowIsInvalid(sheet, row)) continue;
    const service = resolveService(i);
    if (!service) continue;
    const c = rows.council[i]!;
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
      await stageFigures(em, chunk, { sheet, period, reportedBy });
      chunk = new FigureChunk();
    }
  }
  await stageFigures(em, chunk, { sheet, period, reportedBy });
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

/** Where a sheet's figures come from: the same for every figure of the sheet. */
interface FigureSource {
  sheet: string;
  period: string;
  reportedBy: number | null;
}

/** The chunk's figures as rows in the staging table's column order (its parameters from $1 to $16). */
function stagingSelect(applied: boolean): string {
  return `select $1::text as sheet, u.row, ($4::text[])[u.col + 1] || u.row as cell, u.service_id,
      u.partnership_id, u.council_id, $2::int as reported_by_id, u.year as financial_year,
      (array['TARGET','ESTIMATE','FORECAST','ACHIEVED'])[u.measure + 1] as measure, u.cashable = 1 as cashable,
      u.pence::numeric / 100 as amount, $3::text as reporting_period, ($5::text[])[u.rag + 1] as rag_status,
      u.extra::jsonb as extra, ${applied} as applied
    from unnest($6::int[], $7::int[], $8::int[], $9::int[], $10::int[], $11::smallint[], $12::smallint[],
      $13::smallint[], $14::int8[], $15::int[], $16::text[])
      as u(row, col, service_id, partnership_id, council_id, year, measure, cashable, pence, rag, extra)`;
}

/** Stages a chunk of figures (to be compared with the stored ones by applySavingsFigures). */
export async function stageFigures(
  em: EntityManager,
  chunk: FigureChunk,
  source: FigureSource,
): Promise<void> {
  if (chunk.length === 0) return;
  await executeBound(em, `insert into import_savings ${stagingSelect(false)}`, [
    source.sheet,
    source.reportedBy,
    source.period,
    ...chunk.parameters(),
  ]);
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
      executeBound<{ created: number; updated: number }>(
        em,
        `with staged as (insert into import_savings ${stagingSelect(true)} returning *),
     written as (
       insert into savings_figure (import_run_id, source_sheet, source_cell, extra, service_id, council_id,
         reported_by_id, financial_year, measure, cashable, amount, reporting_period, rag_status)
       select distinct on (council_id, service_id, financial_year, measure, cashable)
         $17::int, sheet, cell, extra, service_id, council_id, reported_by_id, financial_year, measure, cashable,
         amount, reporting_period, rag_status
       from staged order by council_id, service_id, financial_year, measure, cashable, row, cell
       on conflict (council_id, service_id, financial_year, measure, cashable, reporting_period, reported_by_id)
       do update set amount = excluded.amount, rag_status = excluded.rag_status, extra = excluded.extra,
         source_sheet = excluded.source_sheet, source_cell = excluded.source_cell,
         import_run_id = case when savings_figure.amount <> excluded.amount
           or savings_figure.rag_status is distinct from excluded.rag_status
           then excluded.import_run_id else savings_figure.import_run_id end
       where savings_figure.amount <> excluded.amount
         or savings_figure.rag_status is distinct from excluded.rag_status
         or savings_figure.source_cell is distinct from excluded.source_cell
         or savings_figure.source_sheet is distinct from excluded.source_sheet
         or savings_figure.extra::text is distinct from excluded.extra::text
       returning xmax = 0 as created, import_run_id = $17::int as value_changed)
     select count(*) filter (where created)::int as created,
       count(*) filter (where not created and value_changed)::int as updated from written`,
        [
          source.sheet,
          source.reportedBy,
          source.period,
          ...chunk.parameters(),
          importRunId,
        ],
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
      await executeBound(
        em,
        `insert into savings_figure (import_run_id, source_sheet, source_cell, extra, service_id, council_id,
         reported_by_id, financial_year, measure, cashable, amount, reporting_period, rag_status)
       select $17::int, sheet, cell, extra, service_id, council_id, reported_by_id, financial_year, measure,
         cashable, amount, reporting_period, rag_status
       from (${stagingSelect(false)}) n
       order by council_id, service_id, financial_year, measure, cashable`,
        [
          source.sheet,
          source.reportedBy,
          source.period,
          ...chunk.parameters(),
          importRunId,
        ],
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

const KEY = `coalesce(f.council_id, 0) = coalesce(n.council_id, 0) and f.service_id = n.service_id
  and f.financial_year = n.financial_year and f.measure = n.measure and f.cashable = n.cashable
  and f.reporting_period = n.reporting_period and coalesce(f.reported_by_id, 0) = coalesce(n.reported_by_id, 0)`;

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
  const [repeated] = await em.execute<{ found: boolean }[]>(
    `select exists (select from import_savings
       group by service_id, council_id, financial_year, measure, cashable, reporting_period, reported_by_id
       having count(*) > 1) as found`,
  );
  if (!repeated?.found) return [];
  return em.execute(
    `select sheet, row, cell, first_sheet, first_cell from (
       select sheet, row, cell,
         first_value(sheet) over w as first_sheet, first_value(cell) over w as first_cell,
         row_number() over w as n
       from import_savings
       window w as (partition by service_id, coalesce(council_id, 0), financial_year, measure, cashable,
                    reporting_period, coalesce(reported_by_id, 0) order by sheet, row, cell)
     ) d where n > 1 order by sheet, row limit 10000`,
  );
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
  const [row] = await executeBound<{ found: boolean }>(
    em,
    `select exists (select 1 from import_savings n join savings_figure f on ${KEY}
       where not n.applied and n.reporting_period = any($1::text[]) and f.import_run_id = $2) as found`,
    [[...freshPeriods], importRunId],
  );
  if (row?.found)
    throw new StreamedFigureUndone("a staged figure repeats a streamed one");
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
 * touched. Returns per-sheet created/updated/unchanged and the removed count per sheet of the source.
 */
export async function applySavingsFigures(
  em: EntityManager,
  importRunId: number,
  streamed: ReadonlyMap<string, StreamedCounts>,
  freshPeriods: ReadonlySet<string>,
): Promise<Map<string, RecordCounts>> {
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
  const removed = replaced.length
    ? await executeBound<{ sheet: string; n: string }>(
        em,
        `with sources as materialized (
           select partnership_id, coalesce(reported_by_id, 0) as reported_by, reporting_period, min(sheet) as sheet
           from import_savings where reporting_period = any($1::text[]) group by 1, 2, 3),
         gone as (
           delete from savings_figure f using service sv, sources src
           where sv.id = f.service_id and src.partnership_id = sv.partnership_id
             and f.reporting_period = src.reporting_period and coalesce(f.reported_by_id, 0) = src.reported_by
             and not exists (select 1 from import_savings n where ${KEY})
           returning src.sheet)
         select sheet, count(*) as n from gone group by sheet`,
        [replaced],
      )
    : [];
  for (const r of removed) of(r.sheet).removed += Number(r.n);
  const updated = await em.execute<
    { sheet: string; changed: string; moved: string }[]
  >(
    `with changed as (
       update savings_figure f set amount = n.amount, rag_status = n.rag_status, extra = n.extra,
         source_sheet = n.sheet, source_cell = n.cell,
         import_run_id = case when f.amount <> n.amount or f.rag_status is distinct from n.rag_status
                         then ? else f.import_run_id end
       from import_savings n
       where not n.applied and ${KEY} and (f.amount <> n.amount or f.rag_status is distinct from n.rag_status
         or f.source_cell is distinct from n.cell or f.source_sheet is distinct from n.sheet
         or f.extra::text is distinct from n.extra::text)
       returning n.sheet, f.import_run_id = ? as value_changed)
     select sheet, count(*) filter (where value_changed) as changed from changed group by sheet`,
    [importRunId, importRunId],
  );
  for (const r of updated) of(r.sheet).updated += Number(r.changed);
  const inserted = await em.execute<{ sheet: string; n: string }[]>(
    `with added as (
       insert into savings_figure (import_run_id, source_sheet, source_cell, extra, service_id, council_id,
         reported_by_id, financial_year, measure, cashable, amount, reporting_period, rag_status)
       select ?, n.sheet, n.cell, n.extra, n.service_id, n.council_id, n.reported_by_id, n.financial_year,
         n.measure, n.cashable, n.amount, n.reporting_period, n.rag_status
       from import_savings n
       where not n.applied and not exists (select 1 from savings_figure f where ${KEY})
       returning source_sheet)
     select source_sheet as sheet, count(*) as n from added group by source_sheet`,
    [importRunId],
  );
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
  return counts;
}

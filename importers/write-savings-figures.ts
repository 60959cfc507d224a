import type { EntityManager } from "@mikro-orm/postgresql";
import { fromPence } from "../schema/money.js";
import type { Partnership } from "../schema/partnership.js";
import type { Service } from "../schema/service.js";
import { executeBound } from "./execute-bound.js";
import type { ImportProblem } from "./import-problem.js";
import { columnLetter } from "./locate-header.js";
import { MembershipRole } from "../schema/membership.js";
import type { RecordCounts } from "./partnership-directory.js";
import { MEASURES, type SheetReading } from "./read-sheet-records.js";
import {
  councilCodes,
  sheetContextCodes,
  type SheetWriteContext,
} from "./write-sheet-records.js";

/** Rows sent to PostgreSQL in one statement while staging (a few MB of JSON). */
export const STAGING_CHUNK_ROWS = 20_000;

const STAGING_COLUMNS =
  "sheet text, row int, cell text, service_id int, partnership_id int, council_id int, reported_by_id int, financial_year smallint, measure text, cashable boolean, amount numeric(15,2), reporting_period text, rag_status text, extra jsonb";

/** Creates the file's staging table (dropped at commit or rollback). */
export async function createSavingsStaging(em: EntityManager): Promise<void> {
  await em.execute(
    `create temporary table import_savings (${STAGING_COLUMNS}) on commit drop`,
  );
}

/**
 * Resolves a savings sheet's figures to services, councils and its source, then stages them. Each
 * distinct (partnership, service, council) text is resolved once, so a million rows cost a handful
 * of look-ups: the row's partnership, else the sheet's (`--partnership`, "Partnership:" line),
 * else the service found by name among the council's partnerships; a row with no council is the
 * partnership's total. The sheet's submitter ("Submitted by:" line, else the one council all its
 * rows name, else none: the partnership's own tracker) is the figures' `reportedBy`.
 */
export async function stageSavingsSheet(
  reading: SheetReading,
  context: SheetWriteContext,
  period: string,
  counts: RecordCounts,
): Promise<number> {
  const { directory, problems, em } = context;
  const rows = reading.savings;
  const sheet = reading.name;
  const councilHeader =
    reading.map.headers[reading.map.roles.get("council") ?? -1] ?? "Council";
  const councilColumn = reading.map.roles.get("council") ?? 0;
  const named = context.partnership ?? reading.title.partnership;
  const namedPartnership = named ? directory.findPartnership(named) : null;

  // Councils: the title's partners and submitter, and every council text, resolved with context.
  const councilTexts = new Map<number, number>(); // text index → first row index
  for (let i = 0; i < rows.length; i++) {
    const key = rows.council[i]!;
    if (key >= 0 && !councilTexts.has(key)) councilTexts.set(key, i);
  }
  const titleTexts = [reading.title.partners, reading.title.submittedBy].filter(
    (t): t is string => !!t,
  );
  const contextCodes = sheetContextCodes(context.lookup, [
    ...titleTexts,
    ...[...councilTexts.keys()].map((k) => rows.text(k)!),
  ]);
  const lookup = context.lookup.withContext([
    ...contextCodes,
    ...(namedPartnership ? directory.memberCodes(namedPartnership) : []),
  ]);
  const councilOf = new Map<number, string | null>(); // text index → GSS, null when unresolved
  for (const [key, first] of councilTexts) {
    const text = rows.text(key)!;
    const codes = councilCodes(
      lookup.list(text),
      {
        sheet,
        cell: `${columnLetter(councilColumn)}${rows.row[first]}`,
        row: rows.row[first]!,
        header: councilHeader,
        value: text,
      },
      problems,
    );
    councilOf.set(key, codes.length === 1 ? codes[0]! : null);
    if (codes.length > 1)
      problems.add({
        code: "bad-value",
        sheet,
        row: rows.row[first]!,
        cell: `${columnLetter(councilColumn)}${rows.row[first]}`,
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
      rows.row[i] !== rows.row[councilTexts.get(key)!]
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
  let submitter: string | null = null;
  if (reading.title.submittedBy) {
    const codes = councilCodes(
      lookup.list(reading.title.submittedBy),
      {
        sheet,
        cell: reading.title.cells.submittedBy ?? "A1",
        row: 0,
        header: "Submitted by",
        value: reading.title.submittedBy,
      },
      problems,
    );
    submitter = codes[0] ?? null;
  } else {
    const distinct = new Set<string | null>();
    for (let i = 0; i < rows.length && distinct.size < 2; i++) {
      const key = rows.council[i]!;
      distinct.add(key < 0 ? null : (councilOf.get(key) ?? null));
    }
    const [only] = [...distinct];
    if (distinct.size === 1 && only) submitter = only;
  }

  const rowsNameOne = rows.length > 0 && rows.allNamePartnership();
  const listed = new Set(
    [...councilOf.values()].filter((c): c is string => !!c),
  );
  let sheetLevel: Partnership | null | undefined = undefined;
  if (named)
    sheetLevel = directory.partnership(
      named,
      {
        sheet,
        cell: reading.title.cells.partnership ?? `A${reading.headerRow}`,
      },
      counts,
    );
  else if (!rowsNameOne && rows.length > 0) {
    const byMembers = directory.findByMembers(listed);
    if (byMembers.length === 1) sheetLevel = byMembers[0]!;
  }

  // Services: one resolution per distinct (partnership, service, council) text.
  const services = new Map<string, Service | null>();
  const resolveService = (i: number): Service | null => {
    const p = rows.partnership[i]!;
    const s = rows.service[i]!;
    const c = rows.council[i]!;
    const memo = `${p}|${s}|${c}`;
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
      service = directory.service(partnership, name, source, counts).service;
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
    if (service && gss && partnership)
      directory.member(partnership, gss, MembershipRole.MEMBER, source, counts);
    services.set(memo, service);
    return service;
  };

  // Flush new partnerships and services so that they have ids to stage with.
  for (let i = 0; i < rows.length; i++) resolveService(i);
  await em.flush();

  const reportedBy = submitter ? directory.councilIds.get(submitter)! : null;
  let staged = 0;
  let chunk: unknown[] = [];
  const flushChunk = async () => {
    if (chunk.length === 0) return;
    await executeBound(
      em,
      `insert into import_savings select * from jsonb_to_recordset($1::jsonb) as x(${STAGING_COLUMNS})`,
      [JSON.stringify(chunk)],
    );
    chunk = [];
  };
  for (let i = 0; i < rows.length; i++) {
    const row = rows.row[i]!;
    if (problems.rowIsInvalid(sheet, row)) continue;
    const service = resolveService(i);
    if (!service) continue;
    const c = rows.council[i]!;
    const gss = c >= 0 ? (councilOf.get(c) ?? null) : null;
    const councilId = gss
      ? directory.councilIds.get(gss)!
      : c < 0 && submitter && reading.map.roles.get("council") === undefined
        ? reportedBy
        : null;
    const extra = rows.extra.get(i);
    chunk.push({
      sheet,
      row,
      cell: `${columnLetter(rows.column[i]!)}${row}`,
      service_id: service.id,
      partnership_id: (service.partnership as Partnership).id,
      council_id: councilId,
      reported_by_id: reportedBy,
      financial_year: rows.year[i],
      measure: MEASURES[rows.measure[i]!],
      cashable: rows.cashable[i] === 1,
      amount: fromPence(rows.pence[i]!),
      reporting_period: period,
      rag_status: rows.text(rows.rag[i]!),
      extra: extra ? JSON.parse(extra) : null,
    });
    staged++;
    if (chunk.length >= STAGING_CHUNK_ROWS) await flushChunk();
  }
  await flushChunk();
  return staged;
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

/** Figures staged twice (same service, council, year, measure, kind, period and source): the later rows. */
export async function findDuplicateFigures(em: EntityManager): Promise<
  {
    sheet: string;
    row: number;
    cell: string;
    first_sheet: string;
    first_cell: string;
  }[]
> {
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
 * Applies the staged figures with the monthly rule, in four statements whatever the row count: for
 * each source (partnership, submitter, reporting period) in the file, figures no longer reported are
 * deleted, changed amounts or RAG statuses updated, new figures inserted; unchanged figures are not
 * touched. Returns per-sheet created/updated/unchanged and the removed count per sheet of the source.
 */
export async function applySavingsFigures(
  em: EntityManager,
  importRunId: number,
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
  await em.execute(
    `create temporary table import_sources on commit drop as
       select partnership_id, coalesce(reported_by_id, 0) as reported_by, reporting_period, min(sheet) as sheet
       from import_savings group by 1, 2, 3`,
  );
  const removed = await em.execute<{ sheet: string; n: string }[]>(
    `with gone as (
       delete from savings_figure f using service sv, import_sources src
       where sv.id = f.service_id and src.partnership_id = sv.partnership_id
         and f.reporting_period = src.reporting_period and coalesce(f.reported_by_id, 0) = src.reported_by
         and not exists (select 1 from import_savings n where ${KEY})
       returning src.sheet)
     select sheet, count(*) as n from gone group by sheet`,
  );
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
       where ${KEY} and (f.amount <> n.amount or f.rag_status is distinct from n.rag_status
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
       where not exists (select 1 from savings_figure f where ${KEY})
       returning source_sheet)
     select source_sheet as sheet, count(*) as n from added group by source_sheet`,
    [importRunId],
  );
  for (const r of inserted) of(r.sheet).created += Number(r.n);
  const staged = await em.execute<{ sheet: string; n: string }[]>(
    "select sheet, count(*) as n from import_savings group by sheet",
  );
  for (const r of staged) {
    const c = of(r.sheet);
    c.unchanged += Number(r.n) - c.created - c.updated;
  }
  return counts;
}

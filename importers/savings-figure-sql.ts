import {
  FIGURE_UNIQUE_COLUMNS,
  sameFigureMonthAndSourceSql,
} from "../schema/savings-figure-key.js";
import type { FigureArrays } from "./figure-chunk.js";
import { MEASURES } from "./savings-rows.js";

/**
 * The bulk-write SQL of savings figures, stated once: the staging table, the arrays a chunk of
 * figures is sent as and the statement parameters in their order, the stored columns an import
 * writes, the figure's key (the unique index's columns, from schema/savings-figure-key.ts) and the
 * "has it changed" condition. write-savings-figures.ts runs these statements.
 */

/** The staging table's columns and types, in order (a chunk's select yields them in this order). */
const STAGING_COLUMNS = [
  ["sheet", "text"],
  ["row", "int"],
  ["cell", "text"],
  ["service_id", "int"],
  ["partnership_id", "int"],
  ["council_id", "int"],
  ["reported_by_id", "int"],
  ["financial_year", "smallint"],
  ["measure", "text"],
  ["cashable", "boolean"],
  ["amount", "numeric(15,2)"],
  ["reporting_period", "text"],
  ["rag_status", "text"],
  ["extra", "jsonb"],
  ["from_service_list", "boolean"],
  ["applied", "boolean"],
] as const;

/** Creates the file's staging table (dropped at commit or rollback). */
export const CREATE_STAGING_SQL = `create temporary table import_savings (${STAGING_COLUMNS.map(
  ([name, type]) => `${name} ${type}`,
).join(", ")}) on commit drop`;

/** A chunk's arrays, by name, with their element types, in the order they are bound. */
export const CHUNK_ARRAYS = [
  ["row", "int"],
  ["col", "int"],
  ["service_id", "int"],
  ["partnership_id", "int"],
  ["council_id", "int"],
  ["year", "smallint"],
  ["measure", "smallint"],
  ["cashable", "smallint"],
  ["pence", "int8"],
  ["rag", "int"],
  ["extra", "text"],
] as const satisfies readonly (readonly [keyof FigureArrays, string])[];

/** Every statement's bound parameters, in $1, $2... order; `importRun` only where a statement writes. */
const PARAMETERS = [
  "sheet",
  "reportedBy",
  "period",
  "columnLetters",
  "ragTexts",
  "fromServiceList",
  ...CHUNK_ARRAYS.map(([name]) => name),
  "importRun",
] as const;

function param(name: (typeof PARAMETERS)[number]): string {
  return `$${PARAMETERS.indexOf(name) + 1}`;
}

/** Where a sheet's figures come from: the same for every figure of the sheet. */
export interface FigureSource {
  sheet: string;
  period: string;
  reportedBy: number | null;
  /**
   * A service list's estimates (true) or a tracker's figures (false): the monthly rule removes a
   * source's unreported figures only among figures of the same kind (REMOVE_UNREPORTED_SQL).
   */
  fromServiceList: boolean;
}

/** A chunk's bound parameters, in PARAMETERS' order (with the import run for statements that write). */
export function figureParameters(
  source: FigureSource,
  chunk: FigureArrays,
  importRunId?: number,
): unknown[] {
  return [
    source.sheet,
    source.reportedBy,
    source.period,
    chunk.columnLetters,
    chunk.ragTexts,
    source.fromServiceList,
    ...CHUNK_ARRAYS.map(([name]) => chunk[name]),
    ...(importRunId === undefined ? [] : [importRunId]),
  ];
}

/** The stored columns an import writes (besides import_run_id), each with its staging column. */
const WRITTEN_COLUMNS = [
  ["source_sheet", "sheet"],
  ["source_cell", "cell"],
  ["extra", "extra"],
  ["service_id", "service_id"],
  ["council_id", "council_id"],
  ["reported_by_id", "reported_by_id"],
  ["financial_year", "financial_year"],
  ["measure", "measure"],
  ["cashable", "cashable"],
  ["amount", "amount"],
  ["reporting_period", "reporting_period"],
  ["rag_status", "rag_status"],
  ["from_service_list", "from_service_list"],
] as const;

type WrittenColumn = (typeof WRITTEN_COLUMNS)[number][0];

/** The insert column list of savings_figure. */
const INSERT_COLUMNS = `import_run_id, ${WRITTEN_COLUMNS.map(([c]) => c).join(", ")}`;

/** The staged values for INSERT_COLUMNS, after the import run's id. */
function stagedValues(alias: string): string {
  return WRITTEN_COLUMNS.map(([, staged]) => `${alias}${staged}`).join(", ");
}

/** Columns whose change is a new value: the figure then counts as updated by this run. */
const VALUE_COLUMNS: readonly WrittenColumn[] = ["amount", "rag_status"];
/**
 * Columns whose change only moves the figure (another cell or sheet, other notes, or the other kind
 * of file: a tracker's figure that a service list reports alike becomes the service list's).
 */
const PLACE_COLUMNS: readonly WrittenColumn[] = [
  "source_cell",
  "source_sheet",
  "extra",
  "from_service_list",
];

/** A stored column's term, and the incoming figure's: `excluded` has stored names, the staging table its own. */
function pair(
  stored: string,
  incoming: string,
  column: WrittenColumn,
): [string, string] {
  const staged =
    incoming === "excluded"
      ? column
      : WRITTEN_COLUMNS.find(([c]) => c === column)![1];
  const cast = column === "extra" ? "::text" : "";
  return [`${stored}.${column}${cast}`, `${incoming}.${staged}${cast}`];
}

function differs(stored: string, incoming: string, column: WrittenColumn) {
  const [a, b] = pair(stored, incoming, column);
  // amount is never null; the others may be.
  return column === "amount" ? `${a} <> ${b}` : `${a} is distinct from ${b}`;
}

/** SQL: the incoming figure has another value than the stored one (amount or RAG status). */
function valueChanged(stored: string, incoming: string): string {
  return VALUE_COLUMNS.map((c) => differs(stored, incoming, c)).join(" or ");
}

/** SQL: the incoming figure differs from the stored one in anything an import writes but its key. */
function anythingChanged(stored: string, incoming: string): string {
  return [...VALUE_COLUMNS, ...PLACE_COLUMNS]
    .map((c) => differs(stored, incoming, c))
    .join(" or ");
}

/** SQL: the SET list writing the incoming figure over the stored one (`self` names the stored row). */
function setChanged(self: string, incoming: string, runId: string): string {
  return [
    ...[...VALUE_COLUMNS, ...PLACE_COLUMNS].map(
      (c) => `${c} = ${pair(self, incoming, c)[1].replace(/::text$/, "")}`,
    ),
    `import_run_id = case when ${valueChanged(self, incoming)} then ${runId} else ${self}.import_run_id end`,
  ].join(", ");
}

/** The key columns within one chunk (one sheet, month and source), in the unique index's order. */
const CHUNK_KEY = FIGURE_UNIQUE_COLUMNS.filter(
  (c) => c !== "reporting_period" && c !== "reported_by_id",
).join(", ");

/** SQL: a staged figure `n` is the stored figure `f` (same key, month and source). */
const SAME_FIGURE_SQL = sameFigureMonthAndSourceSql("f", "n");

/** The chunk's figures as staging rows, in the staging table's column order. */
function stagingSelect(applied: boolean): string {
  const arrays = CHUNK_ARRAYS.map(
    ([name, type]) => `${param(name)}::${type}[]`,
  ).join(", ");
  const measures = MEASURES.map((m) => `'${m}'`).join(",");
  return `select ${param("sheet")}::text as sheet, u.row, (${param("columnLetters")}::text[])[u.col + 1] || u.row as cell,
      u.service_id, u.partnership_id, u.council_id, ${param("reportedBy")}::int as reported_by_id,
      u.year as financial_year, (array[${measures}])[u.measure + 1] as measure, u.cashable = 1 as cashable,
      u.pence::numeric / 100 as amount, ${param("period")}::text as reporting_period,
      (${param("ragTexts")}::text[])[u.rag + 1] as rag_status, u.extra::jsonb as extra,
      ${param("fromServiceList")}::boolean as from_service_list, ${applied} as applied
    from unnest(${arrays}) as u(${CHUNK_ARRAYS.map(([name]) => name).join(", ")})`;
}

/** Stages a chunk of figures (compared with the stored ones at the end: APPLY_*). */
export const STAGE_SQL = `insert into import_savings ${stagingSelect(false)}`;

/**
 * Stages a chunk and writes it at once with the monthly rule, in one statement; a key repeated within
 * the chunk keeps its first row. Returns the created and updated counts.
 */
export const STAGE_AND_APPLY_SQL = `with staged as (insert into import_savings ${stagingSelect(true)} returning *),
     written as (
       insert into savings_figure (${INSERT_COLUMNS})
       select distinct on (${CHUNK_KEY}) ${param("importRun")}::int, ${stagedValues("")}
       from staged order by ${CHUNK_KEY}, row, cell
       on conflict (${FIGURE_UNIQUE_COLUMNS.join(", ")})
       do update set ${setChanged("savings_figure", "excluded", "excluded.import_run_id")}
       where ${anythingChanged("savings_figure", "excluded")}
       returning xmax = 0 as created, import_run_id = ${param("importRun")}::int as value_changed)
     select count(*) filter (where created)::int as created,
       count(*) filter (where not created and value_changed)::int as updated from written`;

/** Writes a chunk of a month that had no figures with a plain INSERT (a repeat fails it: 23505). */
export const INSERT_FRESH_SQL = `insert into savings_figure (${INSERT_COLUMNS})
       select ${param("importRun")}::int, ${stagedValues("")}
       from (${stagingSelect(false)}) n
       order by ${CHUNK_KEY}`;

/** Whether any staged figure repeats another (same key, month and source). */
export const ANY_REPEATED_SQL = `select exists (select from import_savings
       group by ${FIGURE_UNIQUE_COLUMNS.join(", ")} having count(*) > 1) as found`;

/** The staged figures repeating an earlier one, each with the first (at most 10,000; NULLs partition together). */
export const REPEATED_SQL = `select sheet, row, cell, first_sheet, first_cell from (
       select sheet, row, cell,
         first_value(sheet) over w as first_sheet, first_value(cell) over w as first_cell,
         row_number() over w as n
       from import_savings
       window w as (partition by ${FIGURE_UNIQUE_COLUMNS.join(", ")} order by sheet, row, cell)
     ) d where n > 1 order by sheet, row limit 10000`;

/** Updates stored figures whose staged figure changed (?: the import run, twice); counts per sheet. */
export const APPLY_CHANGED_SQL = `with changed as (
       update savings_figure f set ${setChanged("f", "n", "?")}
       from import_savings n
       where not n.applied and ${SAME_FIGURE_SQL} and (${anythingChanged("f", "n")})
       returning n.sheet, f.import_run_id = ? as value_changed)
     select sheet, count(*) filter (where value_changed) as changed from changed group by sheet`;

/** Inserts staged figures not stored yet (?: the import run); counts per sheet. */
export const APPLY_NEW_SQL = `with added as (
       insert into savings_figure (${INSERT_COLUMNS})
       select ?, ${stagedValues("n.")}
       from import_savings n
       where not n.applied and not exists (select 1 from savings_figure f where ${SAME_FIGURE_SQL})
       returning source_sheet)
     select source_sheet as sheet, count(*) as n from added group by source_sheet`;

/**
 * Deletes the stored figures of each source (partnership, submitter, month, and kind of file: a
 * tracker's figures or a service list's estimates) the staged figures come from that this import no
 * longer reports ($1: the months replaced); counts per sheet, with the services whose service-list
 * estimates went (their estimatedAnnualSaving is derived again).
 */
export const REMOVE_UNREPORTED_SQL = `with sources as materialized (
       select partnership_id, coalesce(reported_by_id, 0) as reported_by, reporting_period, from_service_list,
         min(sheet) as sheet
       from import_savings where reporting_period = any($1::text[]) group by 1, 2, 3, 4),
     gone as (
       delete from savings_figure f using service sv, sources src
       where sv.id = f.service_id and src.partnership_id = sv.partnership_id
         and f.reporting_period = src.reporting_period and coalesce(f.reported_by_id, 0) = src.reported_by
         and f.from_service_list = src.from_service_list
         and not exists (select 1 from import_savings n where ${SAME_FIGURE_SQL})
       returning src.sheet, f.service_id, f.from_service_list)
     select sheet, count(*) as n,
       coalesce(array_agg(distinct service_id) filter (where from_service_list), '{}') as estimate_services
     from gone group by sheet`;

/** Whether a figure staged the usual way repeats one this run inserted unstaged ($1: fresh months, $2: the run). */
export const REPEATS_UNSTAGED_SQL = `select exists (select 1 from import_savings n join savings_figure f on ${SAME_FIGURE_SQL}
       where not n.applied and n.reporting_period = any($1::text[]) and f.import_run_id = $2) as found`;

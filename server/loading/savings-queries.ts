import type { EntityManager } from "@mikro-orm/postgresql";
import type { AccessScope } from "../auth/access-scope.js";
import type { SavingsMeasure } from "../../schema/savings-measure.js";
import { Council } from "../../schema/council.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import {
  countedReportSql,
  FIGURE_UNIQUE_COLUMNS,
  figureKeyAndSourceSql,
  latestFigurePerSourceSql,
  sameFigureAndSourceSql,
  SavingsSourceFilter,
  sourceConditionSql,
} from "../../schema/savings-figure-key.js";
import type { FieldSelection } from "../pagination/selects-field.js";
import type { SavingsKey } from "../pagination/savings-cursor.js";
import type { ChildQuery, ParentIds } from "./child-pages.js";
import { runPrepared } from "./prepared-sql.js";
import { selectedColumns, type Columns } from "./selected-columns.js";
import { exactJsonSql, runSql, SqlConditions, type Row } from "./sql-rows.js";

/** Which savings figures a list or summary covers; every field narrows it. */
export interface SavingsFilter {
  /** Whose figures the caller may see: required, so no savings query can forget it. */
  scope: AccessScope;
  partnershipId?: number | null;
  serviceId?: number | null;
  councilId?: number | null;
  financialYear?: number | null;
  measure?: SavingsMeasure | null;
  cashable?: boolean | null;
  /** The latest reporting period (YYYY-MM) to consider; unset: the latest there is. */
  asOf?: string | null;
  /** Whose reports: a council's own claims, the host's, the partnership's; unset: every source. */
  source?: SavingsSourceFilter | null;
}

/** The objects a nested savings list hangs off. */
export type SavingsParent = "partnership" | "service" | "council";

/**
 * The identity of a report across months (figure key and source, see savings-figure-key.ts): the
 * same figure reported again by the same source in a later month replaces the earlier one; other
 * sources' reports stay beside it. Also the list order.
 */
const GROUP_KEY = figureKeyAndSourceSql("f");
const LATEST = latestFigurePerSourceSql("f");
const COUNTED = countedReportSql("f");

// What every savings page's rows carry whatever is selected: the id, the amount and the columns of
// the figure's key, source and month, which the list's order, its cursors, each figure's movement
// and its `source` read.
const PAGE_COLUMNS = ["id", "amount", ...FIGURE_UNIQUE_COLUMNS];

/**
 * The columns of savings_figure a savings page's rows carry for the selection of its figures
 * (`edges.node`): PAGE_COLUMNS and what the selected fields read (selectedColumns); null (every
 * column) when a selected field reads more. Figures read from such rows must be served only to
 * that selection: the savings loaders hold the columns in their key.
 */
export function savingsPageColumns(
  em: EntityManager,
  figures: FieldSelection,
): Columns {
  const selected = selectedColumns(em, SavingsFigure, figures);
  return selected && [...new Set([...PAGE_COLUMNS, ...selected])].sort();
}

function pageColumnsSql(columns: Columns): string {
  return columns ? columns.map((column) => `f.${column}`).join(", ") : "f.*";
}

function filterConditions(
  filter: Partial<SavingsFilter> & Pick<SavingsFilter, "scope">,
): SqlConditions {
  const where = new SqlConditions();
  const scoped = filter.scope.savingsCondition("f");
  if (scoped) where.add(scoped.sql, ...scoped.params);
  if (filter.partnershipId != null)
    where.add(
      "f.service_id in (select s.id from service s where s.partnership_id = ?)",
      filter.partnershipId,
    );
  if (filter.serviceId != null) where.add("f.service_id = ?", filter.serviceId);
  if (filter.councilId != null) where.add("f.council_id = ?", filter.councilId);
  if (filter.financialYear != null)
    where.add("f.financial_year = ?", filter.financialYear);
  if (filter.measure != null) where.add("f.measure = ?", filter.measure);
  if (filter.cashable != null) where.add("f.cashable = ?", filter.cashable);
  if (filter.asOf != null) where.add("f.reporting_period <= ?", filter.asOf);
  const source = filter.source ? sourceConditionSql("f", filter.source) : null;
  if (source) where.add(source);
  return where;
}

function parentCondition(parent: SavingsParent): string {
  switch (parent) {
    case "service":
      return "f.service_id = p._parent_id";
    case "council":
      return "f.council_id = p._parent_id";
    case "partnership":
      return "f.service_id in (select s.id from service s where s.partnership_id = p._parent_id)";
  }
}

/**
 * The latest figure of each group (as of `asOf`), in list order, after the keyset position.
 * A council's figures are fetched through the council index first (OFFSET 0 keeps PostgreSQL from
 * flattening the subquery): scanning the service-ordered index instead and filtering on the
 * council reads most of the table for councils whose services come late in that order.
 */
function latestReportsSql(
  filter: SavingsFilter,
  after: SavingsKey | null,
  limit: number,
  columns: Columns,
  parent?: SavingsParent,
): { sql: string; params: unknown[] } {
  const { text, params } = latestReportsShape(
    filter,
    after,
    limit,
    columns,
    parent,
  );
  return { sql: text(), params };
}

/**
 * latestReportsSql's parameters, the key of its text (what the text depends on: the filter's
 * conditions, whether a keyset position is given, the columns) and the text itself, made only when
 * asked: a prepared statement's text is the same for every request of one shape (see shapedText).
 */
function latestReportsShape(
  filter: SavingsFilter,
  after: SavingsKey | null,
  limit: number,
  columns: Columns,
  parent?: SavingsParent,
): { key: string; text: () => string; params: unknown[] } {
  const councilParent = parent === "council";
  const councilFilter = !councilParent && filter.councilId != null;
  const where = filterConditions({
    ...filter,
    councilId: null,
  });
  if (parent && !councilParent) where.clauses.unshift(parentCondition(parent));
  if (after) where.add(`(${GROUP_KEY}) > (?, ?, ?, ?, ?, ?)`, ...after);
  const source =
    councilParent || councilFilter
      ? `(select * from savings_figure c where c.council_id = ${councilParent ? "p._parent_id" : "?"} offset 0) f`
      : "savings_figure f";
  return {
    key: `${parent ?? ""}|${councilFilter}|${columns?.join(",") ?? "*"}|${where.where}`,
    text: () =>
      `select distinct on (${LATEST.distinctOn}) ${pageColumnsSql(columns)} from ${source} ${where.where}
      order by ${LATEST.orderBy} limit ?`,
    params: [
      ...(councilFilter ? [filter.councilId] : []),
      ...where.params,
      limit,
    ],
  };
}

// Prepared statements' texts by the key of their shape: a page's text is long (its movement and
// order repeat the figure key), and made and hashed again on every request it cost a request about
// as much as reading its rows' movement. Bounded: clients choose their selections.
const shapedTexts = new Map<string, string>();
const SHAPED_TEXTS = 1_000;

/** The text of shape `key`, made by `make` the first time (a statement's text that depends only on its key). */
function shapedText(key: string, make: () => string): string {
  let text = shapedTexts.get(key);
  if (text === undefined) {
    text = make();
    if (shapedTexts.size >= SHAPED_TEXTS)
      shapedTexts.delete(shapedTexts.keys().next().value!);
    shapedTexts.set(key, text);
  }
  return text;
}

/** One page of the latest savings figures matching `filter`: `limit` rows at most, after `after`, each with its `_movement`, carrying `columns` (savingsPageColumns). */
export function savingsPageRows(
  em: EntityManager,
  filter: SavingsFilter,
  after: SavingsKey | null,
  limit: number,
  columns: Columns,
): Promise<Row[]> {
  const { sql, params } = latestReportsSql(filter, after, limit, columns);
  return runSql(
    em,
    `select x.*, ${movementSql("x")} as _movement from (${sql}) x`,
    params,
  );
}

/** One page per parent in one statement: a keyset scan per parent (LATERAL), each `limit` rows at most, each row with its `_movement`, carrying `columns` (savingsPageColumns). */
export function nestedSavingsPageRows(
  em: EntityManager,
  parent: SavingsParent,
  parentIds: readonly number[],
  filter: SavingsFilter,
  after: SavingsKey | null,
  limit: number,
  columns: Columns,
): Promise<Row[]> {
  const inner = latestReportsSql(filter, after, limit, columns, parent);
  return runSql(
    em,
    `select p._parent_id, x.*, ${movementSql("x")} as _movement
     from unnest(array[?]::int[]) as p(_parent_id)
     cross join lateral (${inner.sql}) x order by p._parent_id`,
    [parentIds, ...inner.params],
  );
}

/** The council (as `_council`, its row as JSON, on the first row only) of a code, with the first savings page of its own figures. */
export interface CouncilSavingsRow extends Row {
  /** The council's row on the statement's first row; null on the others. */
  _council: Row | null;
  /** Null on the one row of a council without figures on this page. */
  id: number | null;
}

/**
 * One council by GSS or register code (any case, as `council(code)` reads it), with
 * `councilColumns` of its row (selectedColumns; null: all), and the first page of its latest
 * savings figures (`limit` rows at most, after `after`, each with its `_movement`, carrying
 * `columns`: savingsPageColumns), in one prepared statement: the root of "a council's savings
 * figures" and its list in one round trip instead of two. The council's JSON comes on the first
 * row alone (on every row, PostgreSQL printed it and the hub parsed it once per figure). No rows:
 * no council has the code; one row with a null `id`: the council has no figure on the page.
 */
export function councilWithSavingsPageRows(
  em: EntityManager,
  code: string,
  councilColumns: Columns,
  filter: SavingsFilter,
  after: SavingsKey | null,
  limit: number,
  columns: Columns,
): Promise<CouncilSavingsRow[]> {
  const inner = latestReportsShape(filter, after, limit, columns, "council");
  const wanted = code.trim().toUpperCase();
  return runPrepared<CouncilSavingsRow>(
    em,
    shapedText(
      `council page|${councilColumns?.join(",") ?? "*"}|${inner.key}`,
      () => `with p as (select c.id as _parent_id, ${exactJsonSql(em, Council, "c", councilColumns)} as _council
       from council c where c.gss_code = ? or c.register_code = ? limit 1)
     select case when row_number() over () = 1 then p._council end as _council, x.*,
       ${movementSql("x")} as _movement
     from p left join lateral (${inner.text()}) x on true`,
    ),
    [wanted, wanted, ...inner.params],
  );
}

/** How many figures (one per key and source) match `filter`, for the whole list. */
export async function countSavings(
  em: EntityManager,
  filter: SavingsFilter,
): Promise<number> {
  const where = filterConditions(filter);
  const [row] = await runSql<{ n: number }>(
    em,
    `select count(*)::int as n from (select distinct ${GROUP_KEY} from savings_figure f ${where.where}) t`,
    where.params,
  );
  return row?.n ?? 0;
}

/** How many figures each parent's list holds, in one statement. */
export function countNestedSavings(
  em: EntityManager,
  parent: SavingsParent,
  parentIds: readonly number[],
  filter: SavingsFilter,
): Promise<{ _parent_id: number; n: number }[]> {
  const where = filterConditions(filter);
  return runSql(
    em,
    `select p._parent_id, (select count(*)::int from (select distinct ${GROUP_KEY} from savings_figure f
       where ${parentCondition(parent)}${where.and}) t) as n
     from unnest(array[?]::int[]) as p(_parent_id)`,
    [...where.params, parentIds],
  );
}

/**
 * The change of the figure `alias` from the same figure's report by the same source in the
 * previous reporting period (exact numeric subtraction in SQL), or null when it is that source's
 * first report.
 */
function movementSql(alias: string): string {
  return `${alias}.amount - (select prev.amount from savings_figure prev
    where ${sameFigureAndSourceSql("prev", alias)} and prev.reporting_period < ${alias}.reporting_period
    order by prev.reporting_period desc limit 1)`;
}

/**
 * Every report of each figure bound to `(?)`: the same figure key by the same source in every
 * reporting period (the rows a latest-report list keeps only the last of), each with `_parent_id`
 * (the figure asked about) and its `_movement`, oldest first, for loadChildPages. The caller's
 * scope applies to the reports too.
 */
export function figureReportsQuery(
  figureIds: readonly number[],
  scope: AccessScope,
): ChildQuery {
  const scoped = scope.savingsCondition("f");
  return {
    sql: `select f0.id as _parent_id, f.*, ${movementSql("f")} as _movement
      from savings_figure f0 join savings_figure f on ${sameFigureAndSourceSql("f", "f0")}
      where f0.id in (?)${scoped ? ` and ${scoped.sql}` : ""}`,
    params: [figureIds, ...(scoped?.params ?? [])],
    order: "t.reporting_period, t.id",
  };
}

/** For each figure, its movement (see movementSql). */
export function savingsMovements(
  em: EntityManager,
  figureIds: readonly number[],
): Promise<{ id: number; movement: string | null }[]> {
  return runSql(
    em,
    `select f.id, ${movementSql("f")} as movement from savings_figure f where f.id in (?)`,
    [figureIds],
  );
}

/** One line of a savings summary: a scope's (partnership's or the nation's) year and measure, overall or for one council. */
export interface SummaryRow extends Row {
  scope: number;
  financial_year: number;
  measure: SavingsMeasure;
  council_id: number | null;
  /** The line's council (its row as JSON) on a per-council line, for the council loader. */
  _council: Row | null;
  cashable: string;
  non_cashable: string;
  total: string;
}

/**
 * Sums the latest figures per financial year and measure, cashable and non-cashable, exactly
 * (numeric in SQL). Each figure key counts once: a council's own claim where it made one, else the
 * host's (or partnership's) view of its share; a total by the partnership's own report, else the
 * host's (`countedReportSql`). Where a service reports a partnership total that total counts;
 * otherwise the sum of its councils' figures does, so nothing is counted twice. Per-council lines
 * sum the councils' figures and carry their council (`_council`). `partnerships` null: one national
 * summary (scope 0); else one summary per partnership of `partnerships` (scope: its id).
 */
export function savingsSummarySql(
  partnerships: ParentIds | null,
  filter: Pick<SavingsFilter, "financialYear" | "asOf" | "scope">,
): { sql: string; params: unknown[]; order: (alias: string) => string } {
  const where = filterConditions(filter);
  if (partnerships) {
    where.clauses.unshift(`s.partnership_id in ${partnerships.sql}`);
    where.params.unshift(...partnerships.params);
  }
  const council = (expression: string) =>
    `(select ${expression} from council c where c.id = u.council_id)`;
  // A service belongs to one partnership, so the figure key alone tells the scopes apart. The
  // counted reports are sorted again by the keys per_service groups them by: the DISTINCT ON's
  // order leaves out the keys its filter makes constant (the year asked for, the national scope),
  // and without the second (presorted, so incremental) sort PostgreSQL hashed the 20,000 reports of
  // a national year instead of grouping them in order (about a tenth of the statement's CPU). A
  // line's council is read by its primary key, not hashed in whole.
  return {
    sql: `with latest as (
       select * from (
         select distinct on (${COUNTED.distinctOn}) ${partnerships ? "s.partnership_id" : "0"} as scope,
           f.service_id, f.council_id, f.financial_year, f.measure, f.cashable, f.amount
         from savings_figure f ${partnerships ? "join service s on s.id = f.service_id" : ""} ${where.where}
         order by ${COUNTED.orderBy}
       ) counted order by service_id, measure, cashable, financial_year, scope
     ), per_service as (
       select scope, service_id, financial_year, measure, cashable,
         coalesce(sum(amount) filter (where council_id is null), sum(amount)) as amount
       from latest group by service_id, measure, cashable, financial_year, scope
     )
     select u.*, ${council("to_json(c)")} as _council, ${council("c.short_name")} as _council_name from (
       select scope, financial_year, measure, null::int as council_id,
         coalesce(sum(amount) filter (where cashable), 0)::text as cashable,
         coalesce(sum(amount) filter (where not cashable), 0)::text as non_cashable,
         sum(amount)::text as total
       from per_service group by scope, financial_year, measure
       union all
       select scope, financial_year, measure, council_id,
         coalesce(sum(amount) filter (where cashable), 0)::text,
         coalesce(sum(amount) filter (where not cashable), 0)::text,
         sum(amount)::text
       from latest where council_id is not null group by scope, financial_year, measure, council_id
     ) u`,
    params: where.params,
    order: (alias) =>
      `${alias}.scope, ${alias}.financial_year, ${alias}.measure, ${alias}._council_name nulls first, ${alias}.council_id`,
  };
}

/**
 * The savings summary lines (savingsSummarySql) of each of `partnershipIds`, or the national ones
 * (null), in one prepared statement (see runPrepared).
 */
export function savingsSummaryRows(
  em: EntityManager,
  partnershipIds: readonly number[] | null,
  filter: Pick<SavingsFilter, "financialYear" | "asOf" | "scope">,
): Promise<SummaryRow[]> {
  const { sql, params, order } = savingsSummarySql(
    partnershipIds
      ? { sql: "(select unnest(array[?]::int[]))", params: [partnershipIds] }
      : null,
    filter,
  );
  return runPrepared<SummaryRow>(
    em,
    `select * from (${sql}) lines order by ${order("lines")}`,
    params,
  );
}

/**
 * The savings summary lines of the parents `parent` (one root row's `(_parent.id)` inside a root
 * statement) as one JSON array in their order, for reading a partnership's summary in its page's
 * own statement (loadRootWithChildren's values). The amounts stay exact (text).
 */
export function savingsSummaryJsonSql(
  parent: ParentIds,
  filter: Pick<SavingsFilter, "financialYear" | "asOf" | "scope">,
): { sql: string; params: unknown[] } {
  const { sql, params, order } = savingsSummarySql(parent, filter);
  return {
    sql: `(select coalesce(json_agg(lines order by ${order("lines")}), '[]'::json) from (${sql}) lines)`,
    params,
  };
}

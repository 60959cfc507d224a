/**
 * The source rule: whose figure a savings figure is, which figures are "the same figure" across
 * months, and which report of it counts. Stated once, in TypeScript and in SQL, for every reader
 * (the API's lists, movements and summaries, the reconciliation, the exports). Free of ORM and
 * GraphQL imports so that importers and workers can use it too.
 *
 * - A figure for council X reported by X (its own tracker, claim or return) is X's claim: OWN.
 * - A figure for council X reported by another council (the host's tracker) is HOST, and one
 *   reported by the partnership (no submitting council) is PARTNERSHIP: the host's view of X's
 *   share, never X's claim.
 * - A figure with no council is the partnership's total, from whichever source reported it.
 * - Across months the latest report of each (figure key, source) wins.
 */

/** Where a figure came from, relative to the council it is for. */
export enum FigureSource {
  /** Reported by the council it is for: that council's claim. */
  OWN = "OWN",
  /** Reported by another council (the host's or lead council's tracker). */
  HOST = "HOST",
  /** Reported by the partnership itself: no council submitted the tracker. */
  PARTNERSHIP = "PARTNERSHIP",
}

/** The savings lists' choice of source: one of the sources, or every source. */
export enum SavingsSourceFilter {
  OWN = "OWN",
  HOST = "HOST",
  PARTNERSHIP = "PARTNERSHIP",
  ANY = "ANY",
}

/** The fields of a figure the rule reads: entities and plain rows alike. */
export interface KeyedFigure {
  id: number;
  service: { id: number };
  council?: { id: number } | null;
  reportedBy?: { id: number } | null;
  financialYear: number;
  measure: string;
  cashable: boolean;
  reportingPeriod: string;
}

/**
 * The figure key's columns in list order: the same service, year, measure, cashability and council
 * (null: the partnership's total) reported again in a later month is the same figure.
 */
export const FIGURE_KEY_COLUMNS = [
  "service_id",
  "financial_year",
  "measure",
  "cashable",
  "council_id",
] as const;

/** The source's column: the council that submitted the tracker, null for the partnership's own. */
export const FIGURE_SOURCE_COLUMN = "reported_by_id";

const NULLABLE = new Set<string>(["council_id", FIGURE_SOURCE_COLUMN]);

function keyTerm(alias: string, column: string): string {
  return NULLABLE.has(column)
    ? `coalesce(${alias}.${column}, 0)`
    : `${alias}.${column}`;
}

/** SQL: a figure's key (alias `alias`) as a list of terms in list order; council 0 is the total. */
export function figureKeySql(alias: string): string {
  return FIGURE_KEY_COLUMNS.map((c) => keyTerm(alias, c)).join(", ");
}

/** SQL: a figure's key and source (0 for the partnership), the identity of a report across months. */
export function figureKeyAndSourceSql(alias: string): string {
  return `${figureKeySql(alias)}, ${keyTerm(alias, FIGURE_SOURCE_COLUMN)}`;
}

/**
 * The columns of the unique index (one figure per key, source and month), in index order: council
 * first and the newest month first, because a council's savings lists read the latest figures in
 * this order; the importer's ON CONFLICT names the same columns.
 */
export const FIGURE_UNIQUE_COLUMNS = [
  "council_id",
  ...FIGURE_KEY_COLUMNS.filter((c) => c !== "council_id"),
  "reporting_period",
  FIGURE_SOURCE_COLUMN,
] as const;

/** The unique index's statement, for the entity and its migration alike. */
export const FIGURE_UNIQUE_INDEX_SQL = `create unique index "savings_figure_key_unique" on "savings_figure" (${FIGURE_UNIQUE_COLUMNS.map(
  (c) => (c === "reporting_period" ? `"${c}" desc` : `"${c}"`),
).join(", ")}) nulls not distinct`;

/**
 * SQL: figure `a` (stored) and figure `b` (staged) have the same key, month and source, as plain
 * equalities of coalesced terms, so that PostgreSQL can hash-join a million of them.
 */
export function sameFigureMonthAndSourceSql(a: string, b: string): string {
  return FIGURE_UNIQUE_COLUMNS.map(
    (c) => `${keyTerm(a, c)} = ${keyTerm(b, c)}`,
  ).join(" and ");
}

/**
 * SQL for the latest report of each (figure key, source): put `distinctOn` in `select distinct on
 * (…)` and start the `order by` with `orderBy`. The unique index allows one figure per key, source
 * and month, so the newest month decides.
 */
export function latestFigurePerSourceSql(alias: string): {
  distinctOn: string;
  orderBy: string;
} {
  const identity = figureKeyAndSourceSql(alias);
  return {
    distinctOn: identity,
    orderBy: `${identity}, ${alias}.reporting_period desc`,
  };
}

/** SQL: true when figure `a` and figure `b` have the same key and source (for movements). */
export function sameFigureAndSourceSql(a: string, b: string): string {
  return [...FIGURE_KEY_COLUMNS, FIGURE_SOURCE_COLUMN]
    .map((c) =>
      NULLABLE.has(c)
        ? `${a}.${c} is not distinct from ${b}.${c}`
        : `${a}.${c} = ${b}.${c}`,
    )
    .join(" and ");
}

/** SQL: the `FigureSource` of figure `alias`, as text. */
export function figureSourceSql(alias: string): string {
  return `case when ${alias}.reported_by_id is null then '${FigureSource.PARTNERSHIP}' when ${alias}.reported_by_id = ${alias}.council_id then '${FigureSource.OWN}' else '${FigureSource.HOST}' end`;
}

/** SQL: the condition keeping figures of `source` only; null for ANY. */
export function sourceConditionSql(
  alias: string,
  source: SavingsSourceFilter,
): string | null {
  switch (source) {
    case SavingsSourceFilter.ANY:
      return null;
    case SavingsSourceFilter.OWN:
      return `${alias}.reported_by_id = ${alias}.council_id`;
    case SavingsSourceFilter.PARTNERSHIP:
      return `${alias}.reported_by_id is null`;
    case SavingsSourceFilter.HOST:
      return `${alias}.reported_by_id is distinct from ${alias}.council_id and ${alias}.reported_by_id is not null`;
  }
}

/**
 * SQL `order by` terms choosing among other sources' latest reports of one figure (the partnership's
 * total, or the host's view of a council's share): see `preferredReport`.
 */
export function preferredReportOrderSql(alias: string): string {
  return `${alias}.reporting_period desc, ${alias}.reported_by_id asc nulls first`;
}

/** SQL `order by` term putting a council's own claim before other sources' reports of its figure. */
export function ownClaimFirstSql(alias: string): string {
  return `(${alias}.council_id is not null and ${alias}.reported_by_id is not distinct from ${alias}.council_id) desc`;
}

/**
 * SQL for the report of each figure key that a summary counts, in one pass over every report: put
 * `distinctOn` in `select distinct on (…)` and start the `order by` with `orderBy`. It is the same
 * report as the latest of each (key, source) (`latestFigurePerSourceSql`) followed by the choice
 * among those sources (a council's own claim first, `ownClaimFirstSql`, then
 * `preferredReportOrderSql`): whether a report is its council's own claim depends on its source
 * alone, and a key has one report per source and month (the unique index), so the first report of
 * a key in this order is the chosen source's latest. Sorting the reports once instead of twice.
 */
export function countedReportSql(alias: string): {
  distinctOn: string;
  orderBy: string;
} {
  const key = figureKeySql(alias);
  return {
    distinctOn: key,
    orderBy: `${key}, ${ownClaimFirstSql(alias)}, ${preferredReportOrderSql(alias)}`,
  };
}

/** The source of a figure: OWN, HOST or PARTNERSHIP. */
export function figureSourceOf(figure: KeyedFigure): FigureSource {
  const by = figure.reportedBy?.id ?? null;
  if (by === null) return FigureSource.PARTNERSHIP;
  return by === (figure.council?.id ?? null)
    ? FigureSource.OWN
    : FigureSource.HOST;
}

/**
 * A figure's key and source as values, in the order of `figureKeyAndSourceSql` (council 0: the
 * partnership's total; source 0: the partnership's own report).
 */
export function figureKeyAndSourceOf<T extends KeyedFigure>(
  figure: T,
): [number, number, T["measure"], boolean, number, number] {
  return [
    figure.service.id,
    figure.financialYear,
    figure.measure,
    figure.cashable,
    figure.council?.id ?? 0,
    figure.reportedBy?.id ?? 0,
  ];
}

/** A figure's key (without its source) as text, for maps. */
export function figureKeyOf(figure: KeyedFigure): string {
  return figureKeyAndSourceOf(figure).slice(0, 5).join("|");
}

/**
 * Keeps the latest report, not after `asOf` (every month when null), of each (figure key, source):
 * trackers are cumulative snapshots, so an earlier month is superseded, never added, while another
 * source's report of the same figure is kept beside it. The result does not depend on the order
 * the figures were imported in. Two of one key, source and month (which the unique index prevents):
 * the one written last wins.
 */
export function latestFigurePerSource<T extends KeyedFigure>(
  figures: readonly T[],
  asOf: string | null,
): T[] {
  const latest = new Map<string, T>();
  for (const figure of figures) {
    if (asOf !== null && figure.reportingPeriod > asOf) continue;
    const key = figureKeyAndSourceOf(figure).join("|");
    const kept = latest.get(key);
    if (
      !kept ||
      figure.reportingPeriod > kept.reportingPeriod ||
      (figure.reportingPeriod === kept.reportingPeriod && figure.id > kept.id)
    )
      latest.set(key, figure);
  }
  return [...latest.values()];
}

function preferenceOrder(a: KeyedFigure, b: KeyedFigure): number {
  if (a.reportingPeriod !== b.reportingPeriod)
    return a.reportingPeriod > b.reportingPeriod ? -1 : 1;
  const byA = a.reportedBy?.id ?? null;
  const byB = b.reportedBy?.id ?? null;
  if (byA === byB) return 0;
  if (byA === null) return -1;
  if (byB === null) return 1;
  return byA - byB;
}

/**
 * Chooses among different sources' latest reports of one figure that is not a council's own claim
 * (the partnership's total, or the host's view of a council's share): the latest month wins; in the
 * same month the partnership's own report beats a council's (the host's), then the lower council id.
 * The others are returned too, to be shown beside it. Same order as `preferredReportOrderSql`.
 */
export function preferredReport<T extends KeyedFigure>(
  reports: readonly T[],
): { chosen: T | null; others: T[] } {
  const ordered = [...reports].sort(preferenceOrder);
  return { chosen: ordered[0] ?? null, others: ordered.slice(1) };
}

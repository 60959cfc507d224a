import type { SavingsMeasure } from "../schema/savings-measure.js";
import type { ColumnMap } from "./map-columns.js";

/**
 * Which figures a sum along a row adds up: a year's, a measure's, both, or every figure ("*|*").
 * A figure is in each lane its header places it in; a Total is checked in one.
 */
export type RowTotalLane = string;

/** The lane of the figures of `year` and `measure` (null: any). */
function laneKey(
  year: number | null,
  measure: SavingsMeasure | null,
): RowTotalLane {
  return `${year ?? "*"}|${measure ?? "*"}`;
}

/** The lane of every figure of the row. */
export const EVERY_FIGURE: RowTotalLane = laneKey(null, null);

/** One column of a wide tracker's row, in the order its Total columns are checked. */
export type AcrossColumn =
  | {
      kind: "figure";
      index: number;
      /** Every lane the figure adds to: all figures', its year's, its measure's, both's. */
      lanes: RowTotalLane[];
    }
  | {
      /** A quarters' total: the figures after it are a new section of the row. */
      kind: "boundary";
      index: number;
    }
  | {
      kind: "total";
      index: number;
      /** The lane it is checked in: the figures it totals. */
      lane: RowTotalLane;
      /** The lanes whose section it ends besides its own (the one its header alone names). */
      ends: RowTotalLane[];
      scale?: bigint;
    }
  | {
      /** A Total that can total nothing here (see UncheckedTotal): counted for total rows only. */
      kind: "unchecked";
      index: number;
      ends: RowTotalLane[];
      scale?: bigint;
    };

/** A Total column after figures of more than one measure that it does not name: never checked. */
export interface UncheckedTotal {
  index: number;
  /** The figures it follows, by column, each with the measure its header names (null: none). */
  figures: { index: number; measure: SavingsMeasure | null }[];
}

/** How a wide tracker's Total columns are checked along each row. */
export interface RowTotalPlan {
  columns: AcrossColumn[];
  unchecked: UncheckedTotal[];
}

/**
 * Plans the checks of a wide tracker's Total columns (see TotalRowChecker along columns). A Total
 * totals the figures left of it since the previous Total of its lane, or all of them: those of the
 * year it names ("2010/11 Total" under a year's councils totals that year's), of the measure it
 * names ("Total target"), else every figure. Figures of different measures never add up (a target
 * and an actual are two views of one saving), so a Total that names no measure totals the one
 * measure of the figures it follows ("Actual" over 2009/10 | 2010/11 | Total totals the actuals);
 * after figures of several measures it can total nothing, and is left unchecked (UncheckedTotal),
 * never warned of as a mismatch. Cashable and non-cashable figures of one measure do add up.
 */
export function planRowTotals(map: ColumnMap): RowTotalPlan {
  if (map.rowTotals.length === 0) return { columns: [], unchecked: [] };
  const figureColumns = [...map.councilFigureColumns, ...map.yearColumns];
  const years = new Set(figureColumns.map((c) => c.year));
  const measures = new Set(figureColumns.map((c) => c.measure));
  const ordered = [
    ...figureColumns.map((c) => ({ kind: "figure" as const, column: c })),
    ...map.quarterTotals.map((c) => ({ kind: "boundary" as const, column: c })),
    ...map.rowTotals.map((c) => ({ kind: "total" as const, column: c })),
  ].sort((a, b) => a.column.index - b.column.index);
  type Figures = { index: number; measure: SavingsMeasure | null }[];
  const sections = new Map<RowTotalLane, Figures>();
  const rows = new Map<RowTotalLane, Figures>();
  const plan: RowTotalPlan = { columns: [], unchecked: [] };
  for (const entry of ordered) {
    if (entry.kind === "figure") {
      const { index, year, measure } = entry.column;
      const lanes = [
        ...new Set([
          EVERY_FIGURE,
          laneKey(year, null),
          laneKey(null, measure),
          laneKey(year, measure),
        ]),
      ];
      for (const lane of lanes)
        for (const figures of [sections, rows]) {
          const list = figures.get(lane);
          if (list) list.push({ index, measure });
          else figures.set(lane, [{ index, measure }]);
        }
      plan.columns.push({ kind: "figure", index, lanes });
      continue;
    }
    if (entry.kind === "boundary") {
      sections.delete(EVERY_FIGURE);
      plan.columns.push({ kind: "boundary", index: entry.column.index });
      continue;
    }
    const { index, scale, year, measure } = entry.column;
    const named = laneKey(
      year !== null && years.has(year) ? year : null,
      measure !== null && measures.has(measure) ? measure : null,
    );
    const scaled = scale !== 1n ? { scale } : {};
    // What it follows: its section's figures, or the whole row's after another total.
    const follows = sections.get(named)?.length
      ? sections.get(named)!
      : (rows.get(named) ?? []);
    const kinds = new Set(follows.map((f) => f.measure));
    let lane = named;
    if (measure === null && kinds.size > 1) {
      plan.unchecked.push({ index, figures: follows });
      sections.delete(named);
      plan.columns.push({ kind: "unchecked", index, ends: [named], ...scaled });
      continue;
    }
    const [only] = kinds;
    if (measure === null && only != null)
      lane = laneKey(year !== null && years.has(year) ? year : null, only);
    sections.delete(named);
    sections.delete(lane);
    plan.columns.push({
      kind: "total",
      index,
      lane,
      ends: lane === named ? [] : [named],
      ...scaled,
    });
  }
  return plan;
}

import type { EntityManager } from "@mikro-orm/postgresql";
import { SavingsFigure } from "../../schema/savings-figure.js";
import type { Columns } from "./selected-columns.js";
import { mapEntity, type Row } from "./sql-rows.js";

// Where a figure read from a savings page's row keeps the movement that row carried (`_movement`).
const MOVEMENT = Symbol("carried movement");

interface CarryingMovement {
  [MOVEMENT]?: string | null;
}

/**
 * Keeps on `figure` the movement its row carried (`_movement`, exact decimal text or null), which
 * every savings page computes in its own statement: the `movement` field then reads it from the
 * figure itself, with no loader, promise or lookup per figure.
 */
export function carryMovement(figure: SavingsFigure, row: Row): SavingsFigure {
  const movement = row._movement as string | null | undefined;
  if (movement !== undefined) (figure as CarryingMovement)[MOVEMENT] = movement;
  return figure;
}

/** A savings page's row (with its `_movement`, carrying `columns`: savingsPageColumns) as a figure that carries its movement (see mapEntity, carryMovement). */
export function savingsFigureOfRow(
  em: EntityManager,
  row: Row,
  columns: Columns,
): SavingsFigure {
  return carryMovement(mapEntity(em, SavingsFigure, row, columns), row);
}

/** The movement `figure` carries (null: its source's first report), or undefined when it was read without one. */
export function carriedMovement(
  figure: SavingsFigure,
): string | null | undefined {
  return (figure as CarryingMovement)[MOVEMENT];
}

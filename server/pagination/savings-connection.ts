import type { SavingsFigure } from "../../schema/savings-figure.js";
import { figureKeyAndSourceOf } from "../../schema/savings-figure-key.js";
import type { ConnectionShape, TotalCount } from "./connection.js";
import { encodeSavingsCursor, type SavingsKey } from "./savings-cursor.js";

/** A figure's position in the savings order. */
export function savingsKeyOf(figure: SavingsFigure): SavingsKey {
  return figureKeyAndSourceOf(figure);
}

/** Builds a keyset-paged savings connection from up to `limit + 1` rows fetched after `after`. */
export function savingsConnection(
  rows: SavingsFigure[],
  limit: number,
  after: SavingsKey | null,
  totalCount: TotalCount,
): ConnectionShape<SavingsFigure> {
  const edges = rows.slice(0, limit).map((node) => ({
    node,
    cursor: encodeSavingsCursor(savingsKeyOf(node)),
  }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

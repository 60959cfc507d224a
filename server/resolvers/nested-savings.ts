import type { SavingsFigure } from "../../schema/savings-figure.js";
import type { SavingsParent } from "../loading/savings-queries.js";
import type { Context } from "../context.js";
import { pageWindow, type ConnectionShape } from "../pagination/connection.js";
import { savingsConnection } from "../pagination/savings-connection.js";
import { decodeSavingsCursor } from "../pagination/savings-cursor.js";
import { savingsFilterOf, type SavingsFilterArgs } from "./arguments.js";

/** A council's, partnership's or service's savings list: one batched statement for every parent on the level. */
export async function nestedSavings(
  { loaders, scope }: Pick<Context, "loaders" | "scope">,
  parent: SavingsParent,
  parentId: number,
  args: SavingsFilterArgs,
): Promise<ConnectionShape<SavingsFigure>> {
  const { limit } = pageWindow(args.first, null);
  const after = args.after ? decodeSavingsCursor(args.after) : null;
  const filter = savingsFilterOf(args, scope);
  const rows = await loaders
    .savings(parent, filter, after, limit + 1)
    .load(parentId);
  return savingsConnection(rows, limit, after, () =>
    loaders.savingsCount(parent, filter).load(parentId),
  );
}

/** Description shared by the nested savings lists. */
export const SAVINGS_ORDER =
  "the latest report (as of `asOf`) of each service, council, financial year, measure and cashability by each source (`source`), sorted by service, financial year, measure, non-cashable before cashable, council (partnership totals first), then source (the partnership's own first, then by reporting council)";

import {
  getArgumentValues,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from "graphql";
import { Council } from "../../schema/council.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import type { AccessScope } from "../auth/access-scope.js";
import {
  councilWithSavingsPageRows,
  savingsPageColumns,
  type SavingsFilter,
  type SavingsParent,
} from "../loading/savings-queries.js";
import { selectedColumns, type Columns } from "../loading/selected-columns.js";
import { mapEntity } from "../loading/sql-rows.js";
import { savingsFigureOfRow } from "../loading/savings-figure-rows.js";
import type { Context } from "../context.js";
import { pageWindow, type ConnectionShape } from "../pagination/connection.js";
import { savingsConnection } from "../pagination/savings-connection.js";
import {
  selectionOf,
  subSelection,
  type FieldSelection,
} from "../pagination/selects-field.js";
import {
  decodeSavingsCursor,
  type SavingsKey,
} from "../pagination/savings-cursor.js";
import { savingsFilterOf, type SavingsFilterArgs } from "./arguments.js";

/** What a savings list's arguments ask the savings loader for: the filter, the keyset position and how many rows (one more than the page, to see whether more follow). */
interface SavingsPageRequest {
  filter: SavingsFilter;
  after: SavingsKey | null;
  limit: number;
}

function savingsPageRequest(
  args: SavingsFilterArgs,
  scope: AccessScope,
): SavingsPageRequest {
  const { limit } = pageWindow(args.first, null);
  const after = args.after ? decodeSavingsCursor(args.after) : null;
  return { filter: savingsFilterOf(args, scope), after, limit };
}

// A list's columns per its field node: a parsed query's nodes are the same objects on every request
// of that query, so the list's selection is walked once per query, not twice per request, and its
// columns are the same array each time (mapEntity finds its reader by that array).
const listColumnsByField = new WeakMap<FieldNode, Columns>();

/** The columns a savings list's rows carry for what the list (the field `selection`) selects of its figures. */
function listColumns(em: Context["em"], selection: FieldSelection): Columns {
  const [field, more] = selection.nodes;
  const known = field && !more ? listColumnsByField.get(field) : undefined;
  if (known !== undefined) return known;
  const columns = savingsPageColumns(
    em,
    subSelection(selection, ["edges", "node"]),
  );
  if (field && !more) listColumnsByField.set(field, columns);
  return columns;
}

/**
 * A council's, partnership's or service's savings list (the field being resolved, `info`): one
 * batched statement for every parent on the level, its rows carrying what the list selects.
 */
export async function nestedSavings(
  { em, loaders, scope }: Pick<Context, "em" | "loaders" | "scope">,
  parent: SavingsParent,
  parentId: number,
  args: SavingsFilterArgs,
  info: GraphQLResolveInfo,
): Promise<ConnectionShape<SavingsFigure>> {
  const { filter, after, limit } = savingsPageRequest(args, scope);
  const columns = listColumns(em, selectionOf(info));
  const rows = await loaders
    .savings(parent, filter, after, limit + 1, columns)
    .load(parentId);
  return savingsConnection(rows, limit, after, () =>
    loaders.savingsCount(parent, filter).load(parentId),
  );
}

/**
 * The one `savings` field the council being resolved selects (through fragments too), or null
 * when it selects none, several (aliases with other arguments) or one under a directive.
 */
function selectedSavingsField(info: GraphQLResolveInfo): FieldNode | null {
  const found: FieldNode[] = [];
  const collect = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === "savings") found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT)
        collect(selection.selectionSet);
      else collect(info.fragments[selection.name.value]?.selectionSet);
    }
  };
  for (const node of info.fieldNodes) collect(node.selectionSet);
  const [field] = found;
  return found.length === 1 && !field!.directives?.length ? field! : null;
}

/**
 * `council(code)` with its savings page in one statement when the query selects the council's
 * `savings`: the page is handed to the savings loader under the key `Council.savings` will ask
 * for, so that field costs no statement. Undefined when the query selects no savings (or arguments
 * the look-ahead leaves to the field itself, such as a bad cursor, whose error belongs to it): the
 * caller then reads the council alone. Null: no council has the code.
 */
export async function councilWithSavings(
  { em, loaders, scope }: Pick<Context, "em" | "loaders" | "scope">,
  code: string,
  info: GraphQLResolveInfo,
): Promise<Council | null | undefined> {
  const field = selectedSavingsField(info);
  const councilType = info.schema.getType("Council");
  const definition =
    field && isObjectType(councilType)
      ? councilType.getFields().savings
      : undefined;
  if (!field || !definition) return undefined;
  let request: SavingsPageRequest;
  try {
    request = savingsPageRequest(
      getArgumentValues(
        definition,
        field,
        info.variableValues,
      ) as SavingsFilterArgs,
      scope,
    );
  } catch {
    return undefined;
  }
  const { filter, after, limit } = request;
  // The council goes to this request's fields alone (not to a loader): the columns they read.
  const councilColumns = selectedColumns(em, Council, selectionOf(info));
  const columns = listColumns(em, {
    nodes: [field],
    fragments: info.fragments,
  });
  const rows = await councilWithSavingsPageRows(
    em,
    code,
    councilColumns,
    filter,
    after,
    limit + 1,
    columns,
  );
  const councilRow = rows[0]?._council;
  if (!councilRow) return null;
  const council = mapEntity(em, Council, councilRow, councilColumns);
  const figures: SavingsFigure[] = [];
  for (const row of rows)
    if (row.id !== null) figures.push(savingsFigureOfRow(em, row, columns));
  loaders
    .savings("council", filter, after, limit + 1, columns)
    .prime(council.id, figures);
  return council;
}

/** Description shared by the nested savings lists. */
export const SAVINGS_ORDER =
  "the latest report (as of `asOf`) of each service, council, financial year, measure and cashability by each source (`source`), sorted by service, financial year, measure, non-cashable before cashable, council (partnership totals first), then source (the partnership's own first, then by reporting council)";

import {
  getArgumentValues,
  getNamedType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLField,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from "graphql";
import { pageWindow } from "./connection.js";

/** Whether the field being resolved selects `name` directly (through fragments too): a look-ahead for work worth doing only when asked. */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const selects = (set: SelectionSetNode | undefined): boolean =>
    set !== undefined &&
    set.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT)
        return selects(selection.selectionSet);
      return selects(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => selects(node.selectionSet));
}

/** Whether the field being resolved selects the nested `path` (e.g. edges → node → hostCouncil), through fragments too. */
export function selectsPath(
  info: GraphQLResolveInfo,
  path: readonly string[],
): boolean {
  const selects = (set: SelectionSetNode | undefined, at: number): boolean =>
    set !== undefined &&
    set.selections.some((selection) => {
      if (selection.kind === Kind.FIELD)
        return (
          selection.name.value === path[at] &&
          (at === path.length - 1 || selects(selection.selectionSet, at + 1))
        );
      if (selection.kind === Kind.INLINE_FRAGMENT)
        return selects(selection.selectionSet, at);
      return selects(info.fragments[selection.name.value]?.selectionSet, at);
    });
  return info.fieldNodes.some((node) => selects(node.selectionSet, 0));
}

/** Some field nodes of one field (as a resolver's `info.fieldNodes`), with their document's fragments. */
export interface FieldSelection {
  nodes: readonly FieldNode[];
  fragments: GraphQLResolveInfo["fragments"];
}

/** The field being resolved as a FieldSelection. */
export const selectionOf = (info: GraphQLResolveInfo): FieldSelection => ({
  nodes: info.fieldNodes,
  fragments: info.fragments,
});

/** Calls `visit` with every field node directly under the selection (through fragments). */
function eachSubfield(
  { nodes, fragments }: FieldSelection,
  visit: (field: FieldNode) => void,
): void {
  const collect = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) visit(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT)
        collect(selection.selectionSet);
      else collect(fragments[selection.name.value]?.selectionSet);
    }
  };
  for (const node of nodes) collect(node.selectionSet);
}

/** The nodes of the field at `path` under the selection (`["edges", "node"]`), every alias of each step together. */
export function subSelection(
  selection: FieldSelection,
  path: readonly string[],
): FieldSelection {
  let at = selection;
  for (const name of path) {
    const next: FieldNode[] = [];
    eachSubfield(at, (field) => {
      if (field.name.value === name) next.push(field);
    });
    at = { nodes: next, fragments: selection.fragments };
  }
  return at;
}

/** The names of the fields selected directly under the selection (through fragments). */
export function selectedFieldNames(selection: FieldSelection): Set<string> {
  const names = new Set<string>();
  eachSubfield(selection, (field) => names.add(field.name.value));
  return names;
}

/** A child list as one response key (alias or name) selects it: its page window and its nodes. */
export interface SelectedChildList {
  offset: number;
  limit: number;
  /** The nodes of that response key: what its resolver sees as `info.fieldNodes`. */
  selection: FieldSelection;
}

/** The child list's field at a path under a selection, and its selections, one per response key. */
interface ChildListSelections {
  field: GraphQLField<unknown, unknown> | undefined;
  selections: FieldSelection[];
}

// Per field nodes of a parsed query (a resolver's `info.fieldNodes` are the same array on every
// request of that query) and path: the same selections, the same node arrays, each time, so that
// what is worked out per selection (selectedColumns, serviceJoinsOf) is worked out once.
const childListsBySelection = new WeakMap<
  readonly FieldNode[],
  Map<string, ChildListSelections>
>();

function childListSelections(
  info: GraphQLResolveInfo,
  path: readonly string[],
): ChildListSelections {
  let byPath = childListsBySelection.get(info.fieldNodes);
  if (!byPath) {
    byPath = new Map();
    childListsBySelection.set(info.fieldNodes, byPath);
  }
  const pathKey = path.join(".");
  let found = byPath.get(pathKey);
  if (found) return found;
  let type = getNamedType(info.returnType);
  let field: GraphQLField<unknown, unknown> | undefined;
  for (const name of path) {
    field = isObjectType(type) ? type.getFields()[name] : undefined;
    if (!field) break;
    type = getNamedType(field.type);
  }
  const byKey = new Map<string, FieldNode[]>();
  if (field) {
    const parents = subSelection(selectionOf(info), path.slice(0, -1));
    eachSubfield(parents, (node) => {
      if (node.name.value !== path[path.length - 1]) return;
      const key = node.alias?.value ?? node.name.value;
      byKey.set(key, [...(byKey.get(key) ?? []), node]);
    });
  }
  found = {
    field,
    selections: [...byKey.values()].map((nodes) => ({
      nodes,
      fragments: info.fragments,
    })),
  };
  byPath.set(pathKey, found);
  return found;
}

/**
 * Each selection of the child list at `path` under the field being resolved (`["memberships"]`,
 * or `["edges", "node", "services"]` under a connection), one per response key (an alias, or the
 * field's name), with its page window (offset, limit from `first` and `after`) and its nodes,
 * through fragments: a look-ahead for reading those pages in the parent's statement with what each
 * selects. Selections whose arguments are refused are left out: their own resolver reports the
 * error at their path.
 */
export function selectedChildLists(
  info: GraphQLResolveInfo,
  path: readonly string[],
): SelectedChildList[] {
  const { field, selections } = childListSelections(info, path);
  const lists: SelectedChildList[] = [];
  for (const selection of selections) {
    try {
      const args = getArgumentValues(
        field!,
        selection.nodes[0]!,
        info.variableValues,
      ) as {
        first?: number | null;
        after?: string | null;
      };
      lists.push({ ...pageWindow(args.first, args.after), selection });
    } catch {
      // Refused arguments: the field's resolver refuses them again, at its own path.
    }
  }
  return lists;
}

/**
 * The page windows (offset, limit from `first` and `after`) of each selection of the child list at
 * `path` under the field being resolved (`["memberships"]`, or `["edges", "node", "services"]`
 * under a connection), through fragments, aliases each counting, one per distinct window: a
 * look-ahead for reading those pages in the parent's statement. Selections whose arguments are
 * refused are left out: their own resolver reports the error at their path.
 */
export function selectedPageWindows(
  info: GraphQLResolveInfo,
  path: readonly string[],
): { offset: number; limit: number }[] {
  const windows = new Map<string, { offset: number; limit: number }>();
  for (const { offset, limit } of selectedChildLists(info, path))
    windows.set(`${offset}:${limit}`, { offset, limit });
  return [...windows.values()];
}

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
  let type = getNamedType(info.returnType);
  let field: GraphQLField<unknown, unknown> | undefined;
  for (const name of path) {
    field = isObjectType(type) ? type.getFields()[name] : undefined;
    if (!field) return [];
    type = getNamedType(field.type);
  }
  let nodes: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    const next: FieldNode[] = [];
    const collect = (set: SelectionSetNode | undefined) => {
      for (const selection of set?.selections ?? []) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value === name) next.push(selection);
        } else if (selection.kind === Kind.INLINE_FRAGMENT)
          collect(selection.selectionSet);
        else collect(info.fragments[selection.name.value]?.selectionSet);
      }
    };
    for (const node of nodes) collect(node.selectionSet);
    nodes = next;
  }
  const windows = new Map<string, { offset: number; limit: number }>();
  for (const node of nodes) {
    try {
      const args = getArgumentValues(field!, node, info.variableValues) as {
        first?: number | null;
        after?: string | null;
      };
      const window = pageWindow(args.first, args.after);
      windows.set(`${window.offset}:${window.limit}`, window);
    } catch {
      // Refused arguments: the field's resolver refuses them again, at its own path.
    }
  }
  return [...windows.values()];
}

import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";

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

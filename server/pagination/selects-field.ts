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

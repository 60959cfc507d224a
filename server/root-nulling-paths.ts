import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/**
 * The response paths of an operation (keys joined by ".", a list's items as "*") at which an error
 * makes the whole `data` null: the field and every field and list item above it are non-null, so
 * GraphQL's null propagation reaches the root. graphql-js answers at once when one of those fails;
 * knowing them lets another executor do the same. A path reached through several fragments counts
 * only if it nulls the root through each of them.
 */
export function rootNullingPaths(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
): Set<string> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
    else if (
      definition.kind === Kind.OPERATION_DEFINITION &&
      (!operationName || definition.name?.value === operationName)
    )
      operation ??= definition;
  }
  const nulls = new Map<string, boolean>();
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return new Set();
  const seen = new Set<string>();
  const walk = (
    selections: SelectionSetNode,
    parent: GraphQLCompositeType,
    prefix: string,
    nonNullAbove: boolean,
  ): void => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const field = parent.getFields()[selection.name.value];
        if (!field) continue;
        const path = `${prefix}${(selection.alias ?? selection.name).value}`;
        const nullsRoot = nonNullAbove && isNonNullType(field.type);
        nulls.set(path, (nulls.get(path) ?? true) && nullsRoot);
        if (!selection.selectionSet) continue;
        const inner = itemsOf(field.type, path, nullsRoot);
        const named = getNamedType(field.type);
        if (isCompositeType(named))
          walk(
            selection.selectionSet,
            named,
            `${inner.path}.`,
            inner.nullsRoot,
          );
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? typeFromAST(schema, selection.typeCondition)
          : parent;
        if (type && isCompositeType(type))
          walk(selection.selectionSet, type, prefix, nonNullAbove);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A fragment spread within itself is refused by validation; this only guards the walk.
        const key = `${prefix}|${name}`;
        if (!fragment || seen.has(key)) continue;
        seen.add(key);
        const type = typeFromAST(schema, fragment.typeCondition);
        if (type && isCompositeType(type))
          walk(fragment.selectionSet, type, prefix, nonNullAbove);
      }
    }
  };
  walk(operation.selectionSet, root, "", true);
  return new Set(
    [...nulls].filter(([, nullsRoot]) => nullsRoot).map(([p]) => p),
  );
}

/** The path of a field's items ("*" per list level) and whether an error there still nulls the root. */
function itemsOf(
  type: GraphQLOutputType,
  path: string,
  nullsRoot: boolean,
): { path: string; nullsRoot: boolean } {
  let inner = isNonNullType(type) ? type.ofType : type;
  while (isListType(inner)) {
    path += ".*";
    inner = inner.ofType;
    if (isNonNullType(inner)) inner = inner.ofType;
    else nullsRoot = false;
  }
  return { path, nullsRoot };
}

/** A resolver's response path: graphql's linked list, last key first. */
interface ResponsePath {
  readonly prev: ResponsePath | undefined;
  readonly key: string | number;
}

/** A response path as the keys from the root, the way GraphQL errors carry it. */
export function responsePathArray(path: ResponsePath): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let at: ResponsePath | undefined = path; at; at = at.prev)
    keys.push(at.key);
  return keys.reverse();
}

/** A response path as rootNullingPaths writes it: keys joined by ".", list indexes as "*". */
export function responsePathKey(path: ResponsePath): string {
  let key = typeof path.key === "number" ? "*" : path.key;
  for (let at = path.prev; at; at = at.prev)
    key = `${typeof at.key === "number" ? "*" : at.key}.${key}`;
  return key;
}

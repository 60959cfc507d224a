import type { ApolloServerPlugin } from "@apollo/server";
import {
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  visit,
} from "graphql";
import { ConfigurationError, ErrorCode } from "../errors/hub-error.js";
import { checkStringArguments } from "./string-arguments.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./pagination/connection.js";

/** How deep and how costly one operation may be. */
export interface QueryLimits {
  /** The most fields nested inside each other (introspection fields excepted). */
  maxDepth: number;
  /** The most objects an operation may ask for, as estimated before it runs (see `operationCost`). */
  maxCost: number;
  /** The longest string argument, in characters (a name, a search, an id: none is near it). */
  maxStringLength: number;
}

/** The limits when the environment sets none: the deepest and widest pages of the documented queries fit. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 15,
  maxCost: 200_000,
  maxStringLength: 1_000,
};

/** An unknown list's size for the cost estimate: lists that are not connections are short by nature. */
const ASSUMED_LIST_SIZE = 10;

/**
 * Lists that are not short: their items' cost counts this many times. A summary has a line per
 * council, a reconciliation one per council and service.
 */
export const LIST_SIZES: Readonly<Record<string, number>> = {
  "MeasureSavings.byCouncil": 400,
  "Reconciliation.lines": 200,
  "CouncilSavingsPosition.lines": 100,
  "Reconciliation.importRuns": 50,
  "CouncilSavingsPosition.importRuns": 50,
  "Query.apiTokens": 100,
  "ImportRun.figures": 100,
  "Query.importsByMonth": 20,
  "PartnershipImportMonths.months": 12,
};

/**
 * Fields that sum or count over many rows cost what their SQL reads, not one object: these add this
 * many objects each time they are asked for (aliases included). A national summary reads every
 * latest figure; a count reads the whole list it counts.
 */
export const AGGREGATE_COSTS: Readonly<Record<string, number>> = {
  "Query.savingsSummary": 5_000,
  "Partnership.savingsSummary": 500,
  "Query.reconciliation": 1_000,
  "Council.savingsPosition": 1_000,
};

/** What `totalCount` on a connection adds, once per connection (not per item): a count over its rows. */
const COUNT_COST = 20;

/** Whether a connection's selection asks for `totalCount` (directly or in an inline fragment). */
function asksForCount(set: SelectionSetNode | undefined): boolean {
  return (set?.selections ?? []).some((selection) =>
    selection.kind === Kind.FIELD
      ? selection.name.value === "totalCount"
      : selection.kind === Kind.INLINE_FRAGMENT &&
        asksForCount(selection.selectionSet),
  );
}

/** Reads `SSHUB_MAX_QUERY_DEPTH`, `SSHUB_MAX_QUERY_COST` and `SSHUB_MAX_STRING_LENGTH`; a value that is not a positive integer is a configuration error. */
export function queryLimitsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): QueryLimits {
  const read = (name: string, fallback: number, unit: string) => {
    const text = env[name]?.trim();
    if (!text) return fallback;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 1)
      throw ConfigurationError.notWholeNumber(name, text, unit, 1);
    return value;
  };
  return {
    maxDepth: read(
      "SSHUB_MAX_QUERY_DEPTH",
      DEFAULT_QUERY_LIMITS.maxDepth,
      "levels",
    ),
    maxCost: read(
      "SSHUB_MAX_QUERY_COST",
      DEFAULT_QUERY_LIMITS.maxCost,
      "objects",
    ),
    maxStringLength: read(
      "SSHUB_MAX_STRING_LENGTH",
      DEFAULT_QUERY_LIMITS.maxStringLength,
      "characters",
    ),
  };
}

/**
 * The cost estimate: the number of objects an operation may return or read, before it runs. A
 * connection counts `first` (default 20) times its edges' cost; another list of objects counts its
 * size (`LIST_SIZES`, else ten) times its items' cost; an object counts one plus its fields; an
 * aggregate (`AGGREGATE_COSTS`, `totalCount`) adds the rows it reads; other scalars, objects made
 * only of scalars (Money) and introspection are free.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> = {},
  operationName?: string | null,
): number {
  const fragments = fragmentsOf(document);
  const costOf = (
    parent: GraphQLNamedType | null | undefined,
    set: SelectionSetNode,
    seen: ReadonlySet<string>,
  ): number => {
    if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return 0;
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        total += costOf(on, selection.selectionSet, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue;
        total += costOf(
          schema.getType(fragment.typeCondition.name.value),
          fragment.selectionSet,
          new Set([...seen, name]),
        );
        continue;
      }
      const name = selection.name.value;
      const field = parent.getFields()[name];
      if (!field || name.startsWith("__")) continue;
      total += AGGREGATE_COSTS[`${parent.name}.${name}`] ?? 0;
      const named = getNamedType(field.type);
      if (isLeafType(named) || isValueType(named)) continue;
      const children = selection.selectionSet
        ? costOf(named, selection.selectionSet, seen)
        : 0;
      if (field.args.some((arg) => arg.name === "first")) {
        total +=
          1 +
          (asksForCount(selection.selectionSet) ? COUNT_COST : 0) +
          pageSizeOf(selection, variables) * children;
      } else if (name === "edges" && parent.name.endsWith("Connection")) {
        total += children;
      } else {
        total += isList(field.type)
          ? 1 +
            (LIST_SIZES[`${parent.name}.${name}`] ?? ASSUMED_LIST_SIZE) *
              children
          : 1 + children;
      }
    }
    return total;
  };
  let highest = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && definition.name?.value !== operationName) continue;
    const root = schema.getRootType(definition.operation);
    highest = Math.max(
      highest,
      costOf(root, definition.selectionSet, new Set()),
    );
  }
  return highest;
}

/** The `first` a field asks for (a literal or a variable), clamped to what a page may hold. */
function pageSizeOf(
  field: FieldNode,
  variables: Record<string, unknown>,
): number {
  const argument = field.arguments?.find((arg) => arg.name.value === "first");
  let value: unknown = DEFAULT_PAGE_SIZE;
  if (argument?.value.kind === Kind.INT) value = Number(argument.value.value);
  if (argument?.value.kind === Kind.VARIABLE)
    value = variables[argument.value.name.value] ?? DEFAULT_PAGE_SIZE;
  return typeof value === "number" && Number.isInteger(value)
    ? Math.min(Math.max(value, 0), MAX_PAGE_SIZE)
    : DEFAULT_PAGE_SIZE;
}

/** Objects made only of scalars (Money, PageInfo) are values, not rows: free, like scalars. */
function isValueType(type: GraphQLNamedType): boolean {
  return (
    isObjectType(type) &&
    Object.values(type.getFields()).every((field) =>
      isLeafType(getNamedType(field.type)),
    )
  );
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

function fragmentsOf(
  document: DocumentNode,
): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  return fragments;
}

/** The deepest nesting of fields in the operation (fragments followed; introspection fields not counted). */
export function operationDepth(
  document: DocumentNode,
  operationName?: string | null,
): number {
  const fragments = fragmentsOf(document);
  const depthOf = (set: SelectionSetNode, seen: Set<string>): number => {
    let deepest = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith("__")) continue;
        const below = selection.selectionSet
          ? depthOf(selection.selectionSet, seen)
          : 0;
        deepest = Math.max(deepest, 1 + below);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet, seen));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue;
        deepest = Math.max(
          deepest,
          depthOf(fragment.selectionSet, new Set([...seen, name])),
        );
      }
    }
    return deepest;
  };
  let deepest = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && definition.name?.value !== operationName) continue;
    deepest = Math.max(deepest, depthOf(definition.selectionSet, new Set()));
  }
  return deepest;
}

function refuse(code: ErrorCode, message: string, details: object) {
  return new GraphQLError(message, {
    extensions: { code, ...details, http: { status: 400 } },
  });
}

/** The variables whose values a document's cost depends on: those given to a `first` argument. */
function pageSizeVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if (node.name.value === "first" && node.value.kind === Kind.VARIABLE)
        names.add(node.value.name.value);
    },
  });
  return [...names];
}

/** What one document's limits were worked out to, per operation (and per page-size variables for the cost). */
interface DocumentLimits {
  pageSizeVariables: string[];
  depth: Map<string, number>;
  cost: Map<string, number>;
}

/** How many costs (one per operation and page sizes asked for) are kept per document. */
const COSTS_PER_DOCUMENT = 100;

/**
 * Refuses, before anything runs, operations deeper or costlier than the limits, and string arguments
 * too long or holding NUL, with a code saying which. Depth and cost are worked out once per parsed
 * document (Apollo hands every request of a query the same one) and operation, the cost again
 * only for other values of the variables given to `first`.
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  const worked = new WeakMap<DocumentNode, DocumentLimits>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({
          document,
          operationName,
          request,
          schema,
        }) {
          const variables = request.variables ?? {};
          checkStringArguments(document, variables, limits.maxStringLength);
          let known = worked.get(document);
          if (!known) {
            known = {
              pageSizeVariables: pageSizeVariables(document),
              depth: new Map(),
              cost: new Map(),
            };
            worked.set(document, known);
          }
          const operation = operationName ?? "";
          let depth = known.depth.get(operation);
          if (depth === undefined) {
            depth = operationDepth(document, operationName);
            known.depth.set(operation, depth);
          }
          if (depth > limits.maxDepth)
            throw refuse(
              ErrorCode.QueryTooDeep,
              `The query nests fields ${depth} deep; the most allowed is ${limits.maxDepth} (SSHUB_MAX_QUERY_DEPTH).`,
              { depth, maxDepth: limits.maxDepth },
            );
          const costKey = known.pageSizeVariables.length
            ? `${operation}\u0000${JSON.stringify(known.pageSizeVariables.map((name) => variables[name] ?? null))}`
            : operation;
          let cost = known.cost.get(costKey);
          if (cost === undefined) {
            cost = operationCost(schema, document, variables, operationName);
            if (known.cost.size >= COSTS_PER_DOCUMENT) known.cost.clear();
            known.cost.set(costKey, cost);
          }
          if (cost > limits.maxCost)
            throw refuse(
              ErrorCode.QueryTooCostly,
              `The query may return about ${cost} objects; the most allowed is ${limits.maxCost} (SSHUB_MAX_QUERY_COST). Ask for smaller pages or fewer nested lists.`,
              { cost, maxCost: limits.maxCost },
            );
        },
      };
    },
  };
}

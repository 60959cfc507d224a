import type { EntityManager } from "@mikro-orm/postgresql";
import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isAbstractType,
  isNonNullType,
  isObjectType,
  Kind,
  locatedError,
  visit,
  BREAK,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { globalIdSql } from "../../schema/global-id.js";
import type { ChildQuery } from "../loading/child-pages.js";
import { linkedRowSql, type LinkQuery } from "../loading/joined-link.js";
import { runPrepared } from "../loading/prepared-sql.js";
import { offsetCursorSql, pageWindow } from "../pagination/connection.js";
import type { ListQuery } from "../pagination/offset-list.js";
import { sqlFields, type SqlField, type SqlType } from "./sql-fields.js";

/** A response key and how its value is rendered. */
interface Keyed<T> {
  key: string;
  value: T;
}

/** An object's selection: each response key, in the order GraphQL answers them. */
type ObjectPlan = Keyed<ValuePlan>[];

type ValuePlan =
  | { kind: "typename"; name: string }
  | { kind: "column"; sql: (alias: string) => string }
  | { kind: "nodeId"; type: string }
  | { kind: "link"; link: LinkQuery; object: ObjectPlan }
  | { kind: "connection"; connection: ConnectionPlan };

/** A connection field: where its rows come from, its arguments and its selection. */
interface ConnectionPlan {
  source:
    | { kind: "root"; list: Extract<SqlField, { kind: "rootList" }>["list"] }
    | {
        kind: "child";
        query: Extract<SqlField, { kind: "childList" }>["query"];
      };
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
  keys: Keyed<ConnectionPart>[];
}

type ConnectionPart =
  | { kind: "typename"; name: string }
  | { kind: "totalCount" }
  | { kind: "edges"; edge: Keyed<EdgePart>[] }
  | { kind: "pageInfo"; info: Keyed<PageInfoPart>[] };

type EdgePart =
  | { kind: "typename"; name: string }
  | { kind: "cursor" }
  | { kind: "node"; object: ObjectPlan };

type PageInfoPart =
  | { kind: "typename"; name: string }
  | { kind: "hasNextPage" | "hasPreviousPage" | "startCursor" | "endCursor" };

/** Why the planner does not answer an operation: it falls back to the resolvers. */
class Declined extends Error {}

// PostgreSQL keeps the first 63 bytes of a name: a longer response key would be cut.
const LONGEST_KEY = 63;

/**
 * An operation PostgreSQL answers whole: one statement that returns `data` as JSON, shaped as the
 * GraphQL response (response keys in selection order, global ids and cursors made in SQL), built
 * from the same query modules as the resolvers (sql-fields.ts). `answer` gives the result, or
 * null when this request's arguments are refused (a page size, a cursor, a council code): the
 * resolvers then answer, with their own errors.
 */
export interface SqlAnswerPlan {
  answer(
    em: EntityManager,
    variables: Record<string, unknown> | undefined,
  ): Promise<ExecutionResult | null>;
}

/**
 * The plan of an operation, or null when some part of it is not plain data PostgreSQL can render
 * (sql-fields.ts), when it is not a query, or uses directives (@skip, @include): those operations
 * run through the resolvers, unchanged. Made once per operation text.
 */
export function sqlAnswerPlan(
  schema: GraphQLSchema,
  em: EntityManager,
  document: DocumentNode,
  operationName: string | null | undefined,
): SqlAnswerPlan | null {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments[definition.name.value] = definition;
    else if (
      definition.kind === Kind.OPERATION_DEFINITION &&
      (!operationName || definition.name?.value === operationName)
    )
      operation ??= definition;
  }
  if (!operation || operation.operation !== "query") return null;
  let directives = false;
  visit(document, {
    Directive() {
      directives = true;
      return BREAK;
    },
  });
  if (directives) return null;
  const types = sqlFields(schema, em.getMetadata());
  try {
    const root = planRoot(schema, types, fragments, operation.selectionSet);
    const definitions = operation.variableDefinitions ?? [];
    return {
      answer: (em, variables) =>
        answer(schema, em, definitions, root, variables ?? {}),
    };
  } catch (error) {
    if (error instanceof Declined) return null;
    throw error;
  }
}

interface RootPlan {
  keys: Keyed<ValuePlan>[];
  /** The one root field that reads rows, for its error's location and path. */
  list: Keyed<ConnectionPlan>;
  nonNull: boolean;
  nodes: readonly FieldNode[];
}

function planRoot(
  schema: GraphQLSchema,
  types: ReadonlyMap<string, SqlType>,
  fragments: Record<string, FragmentDefinitionNode>,
  selectionSet: SelectionSetNode,
): RootPlan {
  const query = schema.getQueryType()!;
  const planner = new Planner(schema, types, fragments);
  const keys: Keyed<ValuePlan>[] = [];
  let list: RootPlan | undefined;
  for (const [key, nodes] of planner.collect(query, [selectionSet])) {
    const name = nodes[0]!.name.value;
    if (name === "__typename") {
      keys.push({ key, value: { kind: "typename", name: query.name } });
      continue;
    }
    const declared = types.get(query.name)?.get(name);
    // One root field that reads rows: its failure is the statement's, at its own path.
    if (declared?.kind !== "rootList" || list) throw new Declined();
    const field = query.getFields()[name]!;
    const connection = planner.connection(
      { kind: "root", list: declared.list },
      field,
      nodes,
      declared.type,
    );
    keys.push({ key, value: { kind: "connection", connection } });
    list = {
      keys,
      list: { key, value: connection },
      nonNull: isNonNullType(field.type),
      nodes,
    };
  }
  if (!list) throw new Declined();
  return list;
}

/** Works an operation's selections into plans, declining what sql-fields.ts does not declare. */
class Planner {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly types: ReadonlyMap<string, SqlType>,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
  ) {}

  /** The fields selected on an object of `type`, by response key in answer order (GraphQL's CollectFields, without directives). */
  collect(
    type: GraphQLObjectType,
    selectionSets: readonly SelectionSetNode[],
  ): Map<string, FieldNode[]> {
    const fields = new Map<string, FieldNode[]>();
    const spread = new Set<string>();
    const walk = (set: SelectionSetNode) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const key = (selection.alias ?? selection.name).value;
          if (Buffer.byteLength(key) > LONGEST_KEY) throw new Declined();
          const nodes = fields.get(key);
          if (nodes) nodes.push(selection);
          else fields.set(key, [selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (
            !selection.typeCondition ||
            this.applies(selection.typeCondition.name.value, type)
          )
            walk(selection.selectionSet);
        } else {
          const name = selection.name.value;
          const fragment = this.fragments[name];
          if (spread.has(name) || !fragment) continue;
          spread.add(name);
          if (this.applies(fragment.typeCondition.name.value, type))
            walk(fragment.selectionSet);
        }
      }
    };
    selectionSets.forEach(walk);
    return fields;
  }

  private applies(condition: string, type: GraphQLObjectType): boolean {
    const conditionType = this.schema.getType(condition);
    if (conditionType === type) return true;
    return (
      conditionType !== undefined &&
      isAbstractType(conditionType) &&
      this.schema.isSubType(conditionType, type)
    );
  }

  private objectTypeNamed(name: string): GraphQLObjectType {
    const type = this.schema.getType(name);
    if (!isObjectType(type)) throw new Declined();
    return type;
  }

  private subSelections(nodes: readonly FieldNode[]): SelectionSetNode[] {
    return nodes.flatMap((node) =>
      node.selectionSet ? [node.selectionSet] : [],
    );
  }

  /** The plan of an object of the type named `typeName` selected by `nodes`. */
  object(typeName: string, nodes: readonly FieldNode[]): ObjectPlan {
    const type = this.objectTypeNamed(typeName);
    const declared = this.types.get(typeName);
    if (!declared) throw new Declined();
    const plan: ObjectPlan = [];
    for (const [key, fieldNodes] of this.collect(
      type,
      this.subSelections(nodes),
    )) {
      const name = fieldNodes[0]!.name.value;
      if (name === "__typename") {
        plan.push({ key, value: { kind: "typename", name: typeName } });
        continue;
      }
      const field = declared.get(name);
      if (!field) throw new Declined();
      // Only a connection takes arguments here; a field with some is not the plain read declared.
      if (
        field.kind !== "childList" &&
        fieldNodes.some((n) => n.arguments?.length)
      )
        throw new Declined();
      switch (field.kind) {
        case "column":
          plan.push({ key, value: { kind: "column", sql: field.sql } });
          break;
        case "nodeId":
          plan.push({ key, value: { kind: "nodeId", type: typeName } });
          break;
        case "link":
          plan.push({
            key,
            value: {
              kind: "link",
              link: field.link,
              object: this.object(field.type, fieldNodes),
            },
          });
          break;
        case "childList":
          plan.push({
            key,
            value: {
              kind: "connection",
              connection: this.connection(
                { kind: "child", query: field.query },
                type.getFields()[name]!,
                fieldNodes,
                field.type,
              ),
            },
          });
          break;
        default:
          throw new Declined();
      }
    }
    return plan;
  }

  /** The plan of a connection of `nodeType` selected by `nodes` (the field `field`). */
  connection(
    source: ConnectionPlan["source"],
    field: GraphQLField<unknown, unknown>,
    nodes: readonly FieldNode[],
    nodeType: string,
  ): ConnectionPlan {
    const type = getNamedType(field.type);
    if (!isObjectType(type)) throw new Declined();
    const keys: Keyed<ConnectionPart>[] = [];
    for (const [key, fieldNodes] of this.collect(
      type,
      this.subSelections(nodes),
    )) {
      const name = fieldNodes[0]!.name.value;
      if (fieldNodes.some((n) => n.arguments?.length)) throw new Declined();
      if (name === "__typename")
        keys.push({ key, value: { kind: "typename", name: type.name } });
      else if (name === "totalCount")
        keys.push({ key, value: { kind: "totalCount" } });
      else if (name === "edges")
        keys.push({
          key,
          value: { kind: "edges", edge: this.edge(type, fieldNodes, nodeType) },
        });
      else if (name === "pageInfo")
        keys.push({
          key,
          value: { kind: "pageInfo", info: this.pageInfo(fieldNodes) },
        });
      else throw new Declined();
    }
    return { source, field, node: nodes[0]!, keys };
  }

  private edge(
    connection: GraphQLObjectType,
    nodes: readonly FieldNode[],
    nodeType: string,
  ): Keyed<EdgePart>[] {
    const type = getNamedType(connection.getFields().edges!.type);
    if (!isObjectType(type)) throw new Declined();
    const parts: Keyed<EdgePart>[] = [];
    for (const [key, fieldNodes] of this.collect(
      type,
      this.subSelections(nodes),
    )) {
      const name = fieldNodes[0]!.name.value;
      if (fieldNodes.some((n) => n.arguments?.length)) throw new Declined();
      if (name === "__typename")
        parts.push({ key, value: { kind: "typename", name: type.name } });
      else if (name === "cursor")
        parts.push({ key, value: { kind: "cursor" } });
      else if (name === "node")
        parts.push({
          key,
          value: { kind: "node", object: this.object(nodeType, fieldNodes) },
        });
      else throw new Declined();
    }
    return parts;
  }

  private pageInfo(nodes: readonly FieldNode[]): Keyed<PageInfoPart>[] {
    const type = this.objectTypeNamed("PageInfo");
    const parts: Keyed<PageInfoPart>[] = [];
    for (const [key, fieldNodes] of this.collect(
      type,
      this.subSelections(nodes),
    )) {
      const name = fieldNodes[0]!.name.value;
      if (fieldNodes.some((n) => n.arguments?.length)) throw new Declined();
      if (name === "__typename")
        parts.push({ key, value: { kind: "typename", name: type.name } });
      else if (
        name === "hasNextPage" ||
        name === "hasPreviousPage" ||
        name === "startCursor" ||
        name === "endCursor"
      )
        parts.push({ key, value: { kind: name } });
      else throw new Declined();
    }
    return parts;
  }
}

/** One statement being written: its parameters in the order their `?` appear, and fresh aliases. */
class Statement {
  readonly params: unknown[] = [];
  private aliases = 0;

  constructor(
    readonly em: EntityManager,
    readonly variables: Record<string, unknown>,
    /** The root list's query, worked out (asynchronously) before the text is written. */
    readonly rootList: ListQuery,
  ) {}

  alias(prefix: string): string {
    return `${prefix}${++this.aliases}`;
  }

  /** `?`, its value bound. */
  param(value: unknown): string {
    this.params.push(value);
    return "?";
  }
}

async function answer(
  schema: GraphQLSchema,
  em: EntityManager,
  definitions: NonNullable<OperationDefinitionNode["variableDefinitions"]>,
  root: RootPlan,
  inputs: Record<string, unknown>,
): Promise<ExecutionResult | null> {
  const coerced = getVariableValues(schema, definitions, inputs);
  if (coerced.errors) return null;
  let sql: string;
  let statement: Statement;
  try {
    const { connection } = { connection: root.list.value };
    const source = connection.source;
    if (source.kind !== "root") return null;
    const args = getArgumentValues(
      connection.field,
      connection.node,
      coerced.coerced,
    );
    statement = new Statement(em, coerced.coerced, await source.list(em, args));
    sql = `select to_json(_d) as data from (select ${root.keys
      .map(({ key, value }) => `${valueSql(statement, value, "")} as "${key}"`)
      .join(", ")}) _d`;
  } catch {
    // A refused argument (or its lookup failing): the resolvers answer it, with their error.
    return null;
  }
  try {
    const [row] = await runPrepared<{ data: Record<string, unknown> }>(
      em,
      sql,
      statement.params,
    );
    return { data: row!.data };
  } catch (error) {
    // What the root field's resolver would have failed with, where it would have: the same answer.
    const located = locatedError(error, root.nodes, [root.list.key]);
    return root.nonNull
      ? { data: null, errors: [located] }
      : { data: { [root.list.key]: null }, errors: [located] };
  }
}

/** SQL for a value over the row aliased `alias`. */
function valueSql(
  statement: Statement,
  value: ValuePlan,
  alias: string,
): string {
  switch (value.kind) {
    case "typename":
      return `'${value.name}'::text`;
    case "column":
      return value.sql(alias);
    case "nodeId":
      return globalIdSql(value.type, `${alias}.id`);
    case "link": {
      const linked = statement.alias("_l");
      return objectSql(
        statement,
        value.object,
        linked,
        linkedRowSql(value.link, linked, alias),
      );
    }
    case "connection":
      return connectionSql(statement, value.connection, alias);
  }
}

/** SQL for an object (JSON) of the row aliased `alias`, read `from` a linked row where given. */
function objectSql(
  statement: Statement,
  plan: ObjectPlan,
  alias: string,
  from?: string,
): string {
  const columns = plan
    .map(({ key, value }) => `${valueSql(statement, value, alias)} as "${key}"`)
    .join(", ");
  return `(select to_json(_o) from (select ${columns}${from ? ` from ${from}` : ""}) _o)`;
}

/**
 * SQL for a connection: one page of the list's rows (one more than asked, which says a next page
 * exists), each numbered by its place in the whole list (`_pos`, its cursor's offset), folded
 * into the edges; the total counted apart (a page past the end has no row to carry it).
 */
function connectionSql(
  statement: Statement,
  plan: ConnectionPlan,
  parentAlias: string,
): string {
  const args = getArgumentValues(
    plan.field,
    plan.node,
    statement.variables,
  ) as {
    first?: number | null;
    after?: string | null;
  };
  const { offset, limit } = pageWindow(args.first, args.after);
  const page = statement.alias("_p");
  const group = statement.alias("_g");
  let child: ChildQuery | undefined;
  let list: ListQuery | undefined;
  if (plan.source.kind === "child")
    child = plan.source.query(statement.em, {
      sql: `(${parentAlias}.id)`,
      params: [],
    });
  else list = statement.rootList;
  const countSql = () =>
    child
      ? `(select count(*)::int from (${child.sql}) t ${params(statement, child.params)})`
      : `(select count(*)::int from ${list!.from} ${list!.where.where}${params(statement, list!.where.params)})`;
  // The connection's keys (written first: they come first in the text), over the group's columns.
  const edges: Keyed<EdgePart>[][] = [];
  const pageInfo = plan.keys.some(({ value }) => value.kind === "pageInfo");
  const keys = plan.keys
    .map(({ key, value }) => {
      switch (value.kind) {
        case "typename":
          return `'${value.name}'::text as "${key}"`;
        case "totalCount":
          return `${countSql()} as "${key}"`;
        case "edges":
          edges.push(value.edge);
          return `${group}.e${edges.length - 1} as "${key}"`;
        case "pageInfo":
          return `(select to_json(_i) from (select ${value.info
            .map(
              ({ key, value: part }) =>
                `${pageInfoSql(statement, part, group, offset, limit)} as "${key}"`,
            )
            .join(", ")}) _i) as "${key}"`;
      }
    })
    .join(", ");
  const end = offset + limit;
  const aggregates = [
    ...edges.map(
      (edge, i) =>
        `coalesce(json_agg(${edgeSql(statement, edge, page)} order by ${page}._pos) filter (where ${page}._pos < ${statement.param(end)}), '[]'::json) as e${i}`,
    ),
    ...(pageInfo
      ? [
          `count(*)::int as n`,
          `min(${page}._pos) filter (where ${page}._pos < ${statement.param(end)}) as first`,
          `max(${page}._pos) filter (where ${page}._pos < ${statement.param(end)}) as last`,
        ]
      : []),
  ];
  if (aggregates.length === 0) aggregates.push("0 as n");
  const rows = child
    ? `select t.*, (row_number() over (order by ${child.order}) - 1)::int as _pos
         from (${child.sql}) t ${params(statement, child.params)}order by ${child.order}`
    : `select ${list!.alias}.*, (row_number() over (order by ${list!.order}) - 1)::int as _pos
         from ${list!.from} ${list!.where.where}${params(statement, list!.where.params)} order by ${list!.order}`;
  return `(select to_json(_c) from (select ${keys} from (select ${aggregates.join(", ")}
    from (${rows} limit ${statement.param(limit + 1)} offset ${statement.param(offset)}) ${page}) ${group}) _c)`;
}

/**
 * Binds `values` (a query module's parameters, whose `?` are in the text just written) and adds
 * nothing to the text: the module's SQL already has their placeholders.
 */
function params(statement: Statement, values: readonly unknown[]): string {
  statement.params.push(...values);
  return "";
}

function pageInfoSql(
  statement: Statement,
  part: PageInfoPart,
  group: string,
  offset: number,
  limit: number,
): string {
  switch (part.kind) {
    case "typename":
      return `'${part.name}'::text`;
    case "hasNextPage":
      return `${group}.n > ${statement.param(limit)}`;
    case "hasPreviousPage":
      return `${statement.param(offset > 0)}::boolean`;
    case "startCursor":
      return offsetCursorSql(`${group}.first`);
    case "endCursor":
      return offsetCursorSql(`${group}.last`);
  }
}

function edgeSql(
  statement: Statement,
  edge: Keyed<EdgePart>[],
  page: string,
): string {
  const columns = edge
    .map(({ key, value }) => {
      switch (value.kind) {
        case "typename":
          return `'${value.name}'::text as "${key}"`;
        case "cursor":
          return `${offsetCursorSql(`${page}._pos`)} as "${key}"`;
        case "node":
          return `${objectSql(statement, value.object, page)} as "${key}"`;
      }
    })
    .join(", ");
  return `(select to_json(_e) from (select ${columns}) _e)`;
}

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
  | { kind: "column"; column: string; json: (alias: string) => string }
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
          plan.push({
            key,
            value: { kind: "column", column: field.column, json: field.json },
          });
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
    const keys = this.parts<ConnectionPart>(type, nodes, (name, fieldNodes) =>
      name === "totalCount"
        ? { kind: "totalCount" }
        : name === "edges"
          ? { kind: "edges", edge: this.edge(type, fieldNodes, nodeType) }
          : name === "pageInfo"
            ? { kind: "pageInfo", info: this.pageInfo(fieldNodes) }
            : undefined,
    );
    return { source, field, node: nodes[0]!, keys };
  }

  private edge(
    connection: GraphQLObjectType,
    nodes: readonly FieldNode[],
    nodeType: string,
  ): Keyed<EdgePart>[] {
    const type = getNamedType(connection.getFields().edges!.type);
    if (!isObjectType(type)) throw new Declined();
    return this.parts<EdgePart>(type, nodes, (name, fieldNodes) =>
      name === "cursor"
        ? { kind: "cursor" }
        : name === "node"
          ? { kind: "node", object: this.object(nodeType, fieldNodes) }
          : undefined,
    );
  }

  private pageInfo(nodes: readonly FieldNode[]): Keyed<PageInfoPart>[] {
    return this.parts<PageInfoPart>(
      this.objectTypeNamed("PageInfo"),
      nodes,
      (name) =>
        name === "hasNextPage" ||
        name === "hasPreviousPage" ||
        name === "startCursor" ||
        name === "endCursor"
          ? { kind: name }
          : undefined,
    );
  }

  /**
   * The parts of a connection's own object (the connection, an edge, its page info) selected by
   * `nodes`: `__typename` and what `part` makes of each other field; a field it does not know, or
   * one given arguments, declines the operation.
   */
  private parts<T extends { kind: string }>(
    type: GraphQLObjectType,
    nodes: readonly FieldNode[],
    part: (name: string, fieldNodes: FieldNode[]) => T | undefined,
  ): Keyed<T | { kind: "typename"; name: string }>[] {
    const parts: Keyed<T | { kind: "typename"; name: string }>[] = [];
    for (const [key, fieldNodes] of this.collect(
      type,
      this.subSelections(nodes),
    )) {
      const name = fieldNodes[0]!.name.value;
      if (fieldNodes.some((n) => n.arguments?.length)) throw new Declined();
      const value =
        name === "__typename"
          ? { kind: "typename" as const, name: type.name }
          : part(name, fieldNodes);
      if (!value) throw new Declined();
      parts.push({ key, value });
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

  /** `?`, its value bound: call it where the `?` goes in the text, so that values keep the text's order. */
  param(value: unknown): string {
    this.params.push(value);
    return "?";
  }

  /** Binds a query module's parameters, whose `?` are in the module's text just written; adds no text. */
  bind(values: readonly unknown[]): string {
    this.params.push(...values);
    return "";
  }
}

/**
 * JSON text written by SQL, as pieces: literal text (`{"name":`) or SQL expressions of text that
 * are never null. `sql()` joins them with `||`, adjacent literals as one.
 */
class JsonText {
  private readonly parts: { literal: boolean; text: string }[] = [];

  literal(text: string): this {
    const last = this.parts.at(-1);
    if (last?.literal) last.text += text;
    else this.parts.push({ literal: true, text });
    return this;
  }

  expression(sql: string): this {
    this.parts.push({ literal: false, text: `(${sql})` });
    return this;
  }

  /** `{"key":…,…}`: each of `keys` with its value, written by `write`, in order. */
  object<T>(keys: readonly Keyed<T>[], write: (value: T) => void): this {
    this.literal("{");
    keys.forEach(({ key, value }, i) => {
      this.literal(`${i === 0 ? "" : ","}${JSON.stringify(key)}:`);
      write(value);
    });
    return this.literal("}");
  }

  sql(): string {
    return this.parts
      .map(({ literal, text }) =>
        literal ? `'${text.replace(/'/g, "''")}'` : text,
      )
      .join(" || ");
  }
}

/** Where PostgreSQL cuts an answer's text into the pieces it returns: a character JSON text never has. */
const PIECE_MARK = "E'\\x01'";

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
    const connection = root.list.value;
    const source = connection.source;
    if (source.kind !== "root") return null;
    const args = getArgumentValues(
      connection.field,
      connection.node,
      coerced.coerced,
    );
    statement = new Statement(em, coerced.coerced, await source.list(em, args));
    // The whole answer, `{"data":…}`, in pieces: V8 keeps a string of more than 128 kB in its
    // old generation, whose collections were a third of the hub's CPU on the deep list (150 kB a
    // request); pieces die young. PostgreSQL cuts the text where it wrote PIECE_MARK (between the
    // root list's edges): JSON text has no control character but escaped. The HTTP answer is
    // written from the pieces.
    const data = new JsonText();
    data
      .literal('{"data":')
      .object(root.keys, (value) => valueJson(statement, value, "", data))
      .literal("}");
    sql = `select piece from string_to_table((select ${data.sql()}), ${PIECE_MARK})
      with ordinality as _pieces(piece, at) order by at`;
  } catch {
    // A refused argument (or its lookup failing): the resolvers answer it, with their error.
    return null;
  }
  try {
    const rows = await runPrepared<{ piece: string }>(
      em,
      sql,
      statement.params,
    );
    return {
      data: sqlAnswerData(
        rows.map(({ piece }) => piece),
        root.keys.map(({ key }) => key),
      ),
    };
  } catch (error) {
    // What the root field's resolver would have failed with, where it would have: the same answer.
    const located = locatedError(error, root.nodes, [root.list.key]);
    return root.nonNull
      ? { data: null, errors: [located] }
      : { data: { [root.list.key]: null }, errors: [located] };
  }
}

/** Writes a value's JSON over the row aliased `alias` into `out`. */
function valueJson(
  statement: Statement,
  value: ValuePlan,
  alias: string,
  out: JsonText,
): void {
  switch (value.kind) {
    case "typename":
      out.literal(JSON.stringify(value.name));
      return;
    case "column":
      out.expression(value.json(alias));
      return;
    case "nodeId":
      out
        .literal('"')
        .expression(globalIdSql(value.type, `${alias}.id`))
        .literal('"');
      return;
    case "link": {
      const linked = statement.alias("_l");
      const object = objectJson(statement, value.object, linked);
      out.expression(
        `coalesce((select ${object} from ${linkedRowSql(value.link, linked, alias)}), 'null')`,
      );
      return;
    }
    case "connection":
      out.expression(connectionJson(statement, value.connection, alias));
  }
}

/** SQL for an object's JSON text over the row aliased `alias`. */
function objectJson(
  statement: Statement,
  plan: ObjectPlan,
  alias: string,
): string {
  const out = new JsonText();
  return out
    .object(plan, (value) => valueJson(statement, value, alias, out))
    .sql();
}

/** The columns of a page's rows that an object's plan reads: the id, its columns, its links' keys. */
function columnsRead(plan: ObjectPlan, into: Set<string>): Set<string> {
  into.add("id");
  for (const { value } of plan)
    if (value.kind === "column") into.add(value.column);
    else if (value.kind === "link") into.add(value.link.foreignKey);
  return into;
}

// An order of plain columns of one alias (`t.name, t.id`): its rows are folded in it again by name.
const PLAIN_ORDER = /^\w+\.\w+(, \w+\.\w+)*$/;

/**
 * SQL for a connection's JSON text: one page of the list's rows, in the list's order, folded into
 * the edges; the total counted apart (a page past the end has no row to carry it), and a next
 * page known from it (what offsetConnection's extra row tells: a row after the page's end). Rows
 * are numbered by their place in the whole list (`_pos`, their cursor's offset) only when a
 * cursor is selected.
 */
function connectionJson(
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
  if (plan.source.kind === "child")
    child = plan.source.query(statement.em, {
      sql: `(${parentAlias}.id)`,
      params: [],
    });
  const list = statement.rootList;
  const listAlias = child ? "t" : list.alias;
  const order = child ? child.order : list.order;
  // The list's rows, for the count and for the page: its parameters bound where each is written.
  const from = () =>
    child
      ? `(${child.sql}) t${statement.bind(child.params)}`
      : `${list.from} ${list.where.where}${statement.bind(list.where.params)}`;
  const count = () => `(select count(*)::int from ${from()})`;
  const edges = plan.keys.flatMap(({ value }) =>
    value.kind === "edges" ? [value.edge] : [],
  );
  const cursors = plan.keys.some(
    ({ value }) =>
      (value.kind === "edges" &&
        value.edge.some(({ value: part }) => part.kind === "cursor")) ||
      (value.kind === "pageInfo" &&
        value.info.some(({ value: part }) => part.kind === "endCursor")),
  );
  const numbered = cursors || !PLAIN_ORDER.test(order);
  const rowOrder = numbered
    ? `${page}._pos`
    : order.replace(/\b\w+\./g, `${page}.`);
  // The connection's keys come first in the text (their parameters first), over the group's columns.
  const out = new JsonText();
  let edgesSeen = 0;
  out.object(plan.keys, (value) => {
    switch (value.kind) {
      case "typename":
        out.literal(JSON.stringify(value.name));
        break;
      case "totalCount":
        out.expression(`${count()}::text`);
        break;
      case "edges":
        out.expression(`${group}.e${edgesSeen++}`);
        break;
      case "pageInfo":
        out.object(value.info, (part) => {
          switch (part.kind) {
            case "typename":
              out.literal(JSON.stringify(part.name));
              break;
            case "hasNextPage":
              out.expression(
                `case when ${count()} > ${statement.param(offset + limit)} then 'true' else 'false' end`,
              );
              break;
            case "hasPreviousPage":
              out.literal(offset > 0 ? "true" : "false");
              break;
            case "startCursor":
              out.expression(
                `case when ${group}.n > 0 then '"' || ${offsetCursorSql(`${statement.param(offset)}::int`)} || '"' else 'null' end`,
              );
              break;
            case "endCursor":
              out.expression(
                `case when ${group}.n > 0 then '"' || ${offsetCursorSql(`${group}.last`)} || '"' else 'null' end`,
              );
              break;
          }
        });
    }
  });
  const aggregates = [
    ...edges.map(
      (edge, i) =>
        `coalesce('[' || string_agg(${edgeJson(statement, edge, page)}, ${
          // The root list's edges are where the answer is cut into pieces.
          child ? "','" : `',' || ${PIECE_MARK}`
        } order by ${rowOrder}) || ']', '[]') as e${i}`,
    ),
    "count(*)::int as n",
    ...(numbered ? [`max(${page}._pos) as last`] : []),
  ];
  // The page's rows: the columns its nodes read and its order's, then its place when numbered.
  const read = new Set<string>();
  for (const edge of edges)
    for (const { value } of edge)
      if (value.kind === "node") columnsRead(value.object, read);
  for (const match of order.matchAll(/\b\w+\.(\w+)/g)) read.add(match[1]!);
  const columns = [...read].map((column) => `${listAlias}.${column}`);
  if (numbered)
    columns.push(`(row_number() over (order by ${order}) - 1)::int as _pos`);
  const rows = `select ${columns.join(", ")} from ${from()}`;
  return `select ${out.sql()} from (select ${aggregates.join(", ")}
    from (${rows} order by ${order} limit ${statement.param(limit)} offset ${statement.param(offset)}) ${page}) ${group}`;
}

function edgeJson(
  statement: Statement,
  edge: Keyed<EdgePart>[],
  page: string,
): string {
  const out = new JsonText();
  out.object(edge, (value) => {
    switch (value.kind) {
      case "typename":
        out.literal(JSON.stringify(value.name));
        break;
      case "cursor":
        out
          .literal('"')
          .expression(offsetCursorSql(`${page}._pos`))
          .literal('"');
        break;
      case "node":
        out.expression(objectJson(statement, value.object, page));
    }
  });
  return out.sql();
}

// The answers PostgreSQL wrote (`{"data":…}`, in pieces), by their data objects.
const answerTexts = new WeakMap<object, readonly string[]>();

/**
 * The `data` of an answer PostgreSQL wrote (`{"data":…}`, in `pieces`): an object whose root keys
 * read the text parsed (once, when first read: plugins and tests see plain data), and whose text
 * sqlAnswerPieces gives for the HTTP answer, without parsing and writing it again.
 */
function sqlAnswerData(
  pieces: readonly string[],
  keys: readonly string[],
): Record<string, unknown> {
  let parsed: Record<string, unknown> | undefined;
  const data: Record<string, unknown> = {};
  for (const key of keys)
    Object.defineProperty(data, key, {
      enumerable: true,
      get: () =>
        (parsed ??= (
          JSON.parse(pieces.join("")) as { data: Record<string, unknown> }
        ).data)[key],
    });
  answerTexts.set(data, pieces);
  return data;
}

/**
 * The JSON of an answer whose data PostgreSQL wrote (with no errors or extensions), in pieces: the
 * text as it came, which is JSON.stringify's text of the same data (test/server/sql-answers/).
 * Undefined for any other answer.
 */
export function sqlAnswerPieces(result: {
  data?: unknown;
  errors?: unknown;
  extensions?: unknown;
}): readonly string[] | undefined {
  if (result.errors !== undefined || result.extensions !== undefined)
    return undefined;
  return typeof result.data === "object" && result.data !== null
    ? answerTexts.get(result.data)
    : undefined;
}

import { ReferenceKind, type EntityClass } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Columns } from "./selected-columns.js";

/** A row as PostgreSQL returns it: snake_case columns; numeric and bigint come back as strings. */
export type Row = Record<string, unknown>;

/** Runs one SQL statement through the request's connection (so it is logged and counted like any other). */
export function runSql<T extends Row = Row>(
  em: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params);
}

type RowReader = (row: Row) => object;
// Per entity, a reader per column set ("" for every column); a bounded number of them, since
// clients choose what they select. Also by the column set's array, which selectedColumns gives
// again for the same selection: a page's rows then find their reader without joining the set
// into its key for every row.
interface EntityReaders {
  byKey: Map<string, RowReader>;
  byColumns: WeakMap<readonly string[], RowReader>;
}
const readers = new WeakMap<EntityClass<object>, EntityReaders>();
const READERS_PER_ENTITY = 256;

/**
 * Reads a row of an entity's table into an instance of the entity's class, for reading only: no
 * identity map, no change tracking, no references to other managed objects (those are the work
 * the ORM's hydration spends most of a read request on, and a read request throws it away). Each
 * column becomes its property with the ORM's own type conversion; a many-to-one column becomes
 * `{ id }`, which is all a resolver needs to reach the object through its loader. Collections are
 * left out (resolvers read them through loaders). Columns prefixed with an underscore (the parent
 * key, positions, counts added by the loaders) are not the entity's and are left out. With
 * `columns` (a row folded for a selection, see selectedColumns), only those properties are set.
 * Never pass these objects to `em.persist` or `em.flush`.
 */
export function mapEntity<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  row: Row,
  columns: Columns = null,
): T {
  let known = readers.get(entity);
  if (!known) {
    known = { byKey: new Map(), byColumns: new WeakMap() };
    readers.set(entity, known);
  }
  let read = columns ? known.byColumns.get(columns) : known.byKey.get("");
  if (!read) {
    const key = columns ? columns.join(",") : "";
    read = known.byKey.get(key);
    if (!read) {
      read = rowReader(em, entity, columns);
      if (known.byKey.size < READERS_PER_ENTITY) known.byKey.set(key, read);
    }
    if (columns) known.byColumns.set(columns, read);
  }
  return read(row) as T;
}

function rowReader(
  em: EntityManager,
  entity: EntityClass<object>,
  columns: Columns,
): RowReader {
  const carried = columns && new Set(columns);
  const platform = em.getPlatform();
  const steps: {
    property: string;
    column: string;
    convert: (v: unknown) => unknown;
  }[] = [];
  for (const prop of em.getMetadata().get(entity).props) {
    const column = prop.fieldNames?.[0];
    if (!column || prop.persist === false) continue;
    if (carried && !carried.has(column)) continue;
    if (prop.kind === ReferenceKind.SCALAR) {
      const type = prop.customType;
      steps.push({
        property: prop.name,
        column,
        convert: type
          ? (value) => type.convertToJSValue(value, platform)
          : prop.type === "datetime" || prop.runtimeType === "Date"
            ? (value) =>
                value instanceof Date ? value : new Date(value as string)
            : (value) => value,
      });
    } else if (
      prop.kind === ReferenceKind.MANY_TO_ONE ||
      (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)
    ) {
      steps.push({ property: prop.name, column, convert: (id) => ({ id }) });
    }
  }
  // MikroORM puts setters for its change tracking on the entity's prototype; a prototype in
  // between with plain data properties shadows them, so assigning makes ordinary own properties.
  // The entity's getters (Council.current) and `instanceof` still work through the chain.
  const prototype = Object.create(entity.prototype as object) as object;
  for (const { property } of steps)
    Object.defineProperty(prototype, property, {
      value: undefined,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  return (row) => {
    const target = Object.create(prototype) as Record<string, unknown>;
    for (const { property, column, convert } of steps) {
      const value = row[column];
      target[property] = value == null ? null : convert(value);
    }
    return target;
  };
}

const textColumns = new WeakMap<EntityClass<object>, ReadonlySet<string>>();

// The decimal and bigint columns of an entity's table: a JSON number would lose their exactness.
function textColumnsOf(
  em: EntityManager,
  entity: EntityClass<object>,
): ReadonlySet<string> {
  let columns = textColumns.get(entity);
  if (!columns) {
    columns = new Set(
      em
        .getMetadata()
        .get(entity)
        .props.filter(
          (prop) =>
            prop.kind === ReferenceKind.SCALAR &&
            prop.persist !== false &&
            prop.fieldNames?.[0] &&
            /^(decimal|numeric|bigint)/i.test(
              String(prop.columnTypes?.[0] ?? prop.type),
            ),
        )
        .map((prop) => prop.fieldNames[0]!),
    );
    textColumns.set(entity, columns);
  }
  return columns;
}

/**
 * SQL selecting `columns` of `entity`'s table (aliased `alias`) under their own names, decimal
 * and bigint columns as text (a JSON number would lose their exactness: "12.50" would come back
 * as 12.5): `h.id, h.amount::text as amount`. For rows folded into JSON (see exactJsonSql).
 */
export function exactColumnsSql<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  alias: string,
  columns: readonly string[],
): string {
  const asText = textColumnsOf(em, entity);
  return columns
    .map((column) =>
      asText.has(column)
        ? `${alias}.${column}::text as ${column}`
        : `${alias}.${column}`,
    )
    .join(", ");
}

/**
 * SQL for a row of `entity`'s table (aliased `alias`, with whatever other columns it carries) as a
 * JSON object that mapEntity reads to the same values as the row itself: the row's `json`, with
 * decimal and bigint columns repeated after it as text, since a JSON number loses their exactness.
 * A json object may name a key twice and JSON.parse (the pg driver's reader of json) keeps the
 * last, so the text wins. `json`, not `jsonb`: PostgreSQL builds json as text in one pass, where
 * jsonb builds a binary value and prints it again (most of what a folded page of children cost
 * it). With `columns` (see selectedColumns), only those (exactColumnsSql): a narrower row costs
 * PostgreSQL less to build and send and Node less to parse. A row of a subselect, not
 * `json_build_object`, which PostgreSQL works out each value's type for on every call (a third
 * more of its CPU for a deep list's thousand services). For rows folded into their parent's
 * statement (json_agg). With `from` (`council h where h.id = s.host_council_id`), the subquery
 * reads the row itself, by that table and condition: one subquery per row instead of a subquery
 * in another (a third of the PostgreSQL CPU of a deep list's thousand host councils); null where
 * it finds none.
 */
export function exactJsonSql<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  alias: string,
  columns: Columns = null,
  from?: string,
): string {
  const source = from ? ` from ${from}` : "";
  if (columns)
    return `(select to_json(exact) from (select ${exactColumnsSql(em, entity, alias, columns)}${source}) exact)`;
  const asText = textColumnsOf(em, entity);
  if (asText.size)
    return `(select to_json(exact) from (select ${alias}.*, ${[...asText]
      .map((column) => `${alias}.${column}::text as ${column}`)
      .join(", ")}${source}) exact)`;
  return from ? `(select to_json(${alias})${source})` : `to_json(${alias})`;
}

// Orders are the query modules' own constants: their columns are kept for the process.
const columnsOfOrders = new Map<string, readonly string[]>();

/** The columns of `alias` an order names (`p.name, p.id` → name, id): a page must carry them to be sorted again. */
export function orderColumns(order: string, alias: string): readonly string[] {
  const key = `${alias} ${order}`;
  let columns = columnsOfOrders.get(key);
  if (!columns) {
    columns = [...order.matchAll(new RegExp(`\\b${alias}\\.(\\w+)`, "g"))].map(
      (match) => match[1]!,
    );
    columnsOfOrders.set(key, columns);
  }
  return columns;
}

/** Groups values under the keys DataLoader asked for, in that order, with an empty list for a key without rows. */
export function groupByKey<T>(
  keys: readonly number[],
  rows: readonly { key: number; value: T }[],
): T[][] {
  const byKey = new Map<number, T[]>(keys.map((key) => [key, []]));
  for (const { key, value } of rows) byKey.get(key)?.push(value);
  return keys.map((key) => byKey.get(key) ?? []);
}

/** Escapes `%`, `_` and `\` so that user text matches literally inside an ILIKE pattern. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Collects the conditions and parameters of a WHERE clause, in the order they appear. */
export class SqlConditions {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  /** Adds a condition with `?` placeholders and their values. */
  add(clause: string, ...params: unknown[]): this {
    this.clauses.push(clause);
    this.params.push(...params);
    return this;
  }

  /** `where a and b`, or nothing when there are no conditions. */
  get where(): string {
    return this.clauses.length ? `where ${this.clauses.join(" and ")}` : "";
  }

  /** The conditions joined with `and`, for use after an existing condition (`and a and b`). */
  get and(): string {
    return this.clauses.map((c) => ` and ${c}`).join("");
  }
}

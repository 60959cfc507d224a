import { ReferenceKind, type EntityClass } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { FieldNode } from "graphql";
import { getMetadataStorage } from "type-graphql";
import {
  selectedFieldNames,
  type FieldSelection,
} from "../pagination/selects-field.js";

/**
 * Columns of an entity's table, sorted and without repeats, that a row read for a selection
 * carries; null: every column.
 */
export type Columns = readonly string[] | null;

/** What each GraphQL field of an entity's type reads from its row. */
interface FieldColumns {
  /** The primary key: what every field resolver of the type reads (see selectedColumns). */
  always: readonly string[];
  /** A field read straight from a column, or a link read by its foreign key, by field name. */
  column: ReadonlyMap<string, string>;
  /** Fields resolved by a resolver class's field resolver (not the entity's own getters). */
  resolved: ReadonlySet<string>;
}

const fieldColumns = new WeakMap<EntityClass<object>, FieldColumns>();

function fieldColumnsOf(
  em: EntityManager,
  entity: EntityClass<object>,
): FieldColumns {
  let known = fieldColumns.get(entity);
  if (known) return known;
  const always: string[] = [];
  const column = new Map<string, string>();
  for (const prop of em.getMetadata().get(entity).props) {
    const name = prop.fieldNames?.[0];
    if (!name || prop.persist === false) continue;
    if (prop.primary) always.push(name);
    else if (
      prop.kind === ReferenceKind.SCALAR ||
      prop.kind === ReferenceKind.MANY_TO_ONE ||
      (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)
    )
      column.set(prop.name, name);
  }
  // A link's resolver (named after its many-to-one property) reads that foreign key: in `column`.
  // A getter or method of the entity's class (`Council.current`, type-graphql's "internal" field
  // resolvers) may read any property: not resolved here, so it takes whole rows.
  const resolved = new Set(
    getMetadataStorage()
      .fieldResolvers.filter(
        (resolver) =>
          resolver.kind === "external" && resolver.getObjectType?.() === entity,
      )
      .map((resolver) => resolver.schemaName)
      .filter((name) => !column.has(name)),
  );
  // The Node interface's `id` is worked out from the database id.
  resolved.add("id");
  known = { always, column, resolved };
  fieldColumns.set(entity, known);
  return known;
}

/**
 * The columns of `entity`'s table that the fields selected on its objects read: the id always, the
 * foreign key of each link selected (a link's field resolver is named after its many-to-one
 * property and reads only that key, to go through its loader by id; every other field resolver of
 * these types reads only the id), and the column of each field read straight from its property. Null (every
 * column) when a selected field is neither, e.g. a getter such as `Council.current`, whose
 * columns only the getter knows. So a row folded for the selection carries only what its fields
 * read (test/server/loading/selected-columns.test.ts runs every field resolver of the folded types
 * on such a row); an object built from such a row must be served only to that selection (see
 * loadRootWithChildren), never to a loader other fields read from.
 */
export function selectedColumns(
  em: EntityManager,
  entity: EntityClass<object>,
  selection: FieldSelection,
): Columns {
  let byEntity = columnsBySelection.get(selection.nodes);
  if (!byEntity) {
    byEntity = new Map();
    columnsBySelection.set(selection.nodes, byEntity);
  }
  let columns = byEntity.get(entity);
  if (columns === undefined) {
    columns = columnsOf(em, entity, selection);
    byEntity.set(entity, columns);
  }
  return columns;
}

// A selection's columns, per field nodes of a parsed query (a resolver's `info.fieldNodes` are the
// same array on every request of that query): worked out once, and the same array each time.
const columnsBySelection = new WeakMap<
  readonly FieldNode[],
  Map<EntityClass<object>, Columns>
>();

function columnsOf(
  em: EntityManager,
  entity: EntityClass<object>,
  selection: FieldSelection,
): Columns {
  const { always, column, resolved } = fieldColumnsOf(em, entity);
  const columns = new Set(always);
  for (const name of selectedFieldNames(selection)) {
    if (name === "__typename" || resolved.has(name)) continue;
    const read = column.get(name);
    if (read === undefined) return null;
    columns.add(read);
  }
  return [...columns].sort();
}

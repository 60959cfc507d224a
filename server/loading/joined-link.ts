import type { EntityClass } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Columns } from "./selected-columns.js";
import { mapEntity, type Row } from "./sql-rows.js";

/**
 * Where the row of a link joined into a list's rows (a service's host council, a membership's
 * partnership, as JSON) goes, for one statement's rows. With `columns` (the link's selection, see
 * selectedColumns) the object is the list item's alone: returned, to be set on the item, whose
 * link resolver returns it as it is; other fields of the request may read the same object by id
 * through its loader and need other columns, so it never goes there. A whole row (null) goes to
 * that loader (`primeLoader`), the link is then read through it, and null is returned. Either
 * way each object is built (or primed) once per statement, however many rows link to it.
 */
export function joinedLink<T extends { id: number }>(
  em: EntityManager,
  entity: EntityClass<T>,
  columns: Columns,
  primeLoader: (row: Row) => void,
): (row: Row) => T | null {
  const seen = new Map<number, T | null>();
  return (row) => {
    const id = row.id as number;
    let object = seen.get(id);
    if (object === undefined) {
      if (columns === null) primeLoader(row);
      object = columns ? mapEntity(em, entity, row, columns) : null;
      seen.set(id, object);
    }
    return object;
  };
}

/** A to-one link of a table's rows: the row of `table` whose id is the row's `foreignKey`. */
export interface LinkQuery {
  table: string;
  foreignKey: string;
}

/**
 * The FROM and WHERE of the row `link` reaches from the row aliased `parentAlias`, the linked row
 * aliased `alias`: `council h where h.id = s.host_council_id` (no row where the key is null).
 */
export function linkedRowSql(
  link: LinkQuery,
  alias: string,
  parentAlias: string,
): string {
  return `${link.table} ${alias} where ${alias}.id = ${parentAlias}.${link.foreignKey}`;
}

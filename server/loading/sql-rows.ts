import type { EntityClass } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";

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

/**
 * Maps a row of an entity's table into the request's identity map. Columns prefixed with an
 * underscore (the parent key, positions, counts added by the loaders) are not the entity's and
 * are left out.
 */
export function mapEntity<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  row: Row,
): T {
  const columns: Row = {};
  for (const [key, value] of Object.entries(row))
    if (!key.startsWith("_")) columns[key] = value;
  return em.map(entity, columns as never) as T;
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

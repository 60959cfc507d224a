import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Pool, QueryResult } from "pg";
import type { Row } from "./sql-rows.js";

/** A statement's text in PostgreSQL's `$n` form and the name it is prepared under. */
interface PreparedText {
  name: string;
  text: string;
  /** Which placeholders stand for a whole array (`array[?]` in the source): passed as one array parameter. */
  arrays: boolean[];
  /** A plain read, which may carry a FoldedRead (see runPrepared). */
  mayCarry: boolean;
  /** The statement's text carrying each read it carried (by the read's SQL), made once. */
  carrying: Map<string, string>;
}

// Statement texts are few (one per shape of filter and selection), so their conversions are kept,
// up to a bound: clients choose their selections.
const converted = new Map<string, PreparedText>();
const CONVERTED_TEXTS = 2_000;

/**
 * Converts MikroORM-style `?` placeholders into `$1…$n`. `array[?]` (which MikroORM fills with
 * the array's items inlined) becomes one array parameter (`$n`, cast by the `::int[]` that
 * follows it in the text). The statement's name is a hash of its text, so one name always means
 * one text on every connection.
 */
export function preparedText(sql: string): PreparedText {
  let found = converted.get(sql);
  if (found) return found;
  const arrays: boolean[] = [];
  const text = sql.replace(/array\[\?\]|\?/g, (match) => {
    arrays.push(match !== "?");
    return `$${arrays.length}`;
  });
  const name = `sshub_${createHash("sha256").update(text).digest("base64url").slice(0, 20)}`;
  found = {
    name,
    text,
    arrays,
    mayCarry: PLAIN_READ.test(sql) && !WRITES.test(sql),
    carrying: new Map(),
  };
  if (converted.size >= CONVERTED_TEXTS)
    converted.delete(converted.keys().next().value!);
  converted.set(sql, found);
  return found;
}

/**
 * A small read that can ride along with another read statement instead of costing a statement (and a
 * round trip) of its own: a scalar subquery whose one text value PostgreSQL returns beside each row
 * of the statement that carries it, read in that statement's snapshot. Offered to the statements of
 * some work with `withFoldedRead`; the first plain read among them (runPrepared) takes it.
 */
export interface FoldedRead {
  /** A scalar subquery (`?` placeholders) returning one text value, or null. */
  readonly sql: string;
  readonly params: readonly unknown[];
  /** Asked by a statement that could carry it: true once (it is taken), false when it is no longer wanted. */
  claim(): boolean;
  /**
   * The subquery's value (null when it found nothing) once the statement that took it returned a
   * row; undefined when it could not tell (the statement failed, or returned no rows).
   */
  settle(value: string | null | undefined): void;
}

const offered = new AsyncLocalStorage<FoldedRead>();

/** Runs `work` with `read` offered to its statements (see FoldedRead): the first plain read it runs carries it. */
export function withFoldedRead<T>(read: FoldedRead, work: () => T): T {
  return offered.run(read, work);
}

/** The column a carried read's value comes back in: the statement's last, never put into its rows. */
const FOLDED_COLUMN = "_sshub_folded";

// Only a plain read may carry another: a statement that writes (or locks rows) could not be put in a
// subquery, and must not be held up by a read that is not its own.
const PLAIN_READ = /^\s*(select|with)\b/i;
const WRITES =
  /\b(insert|update|delete|merge|for\s+(update|share|no\s+key|key))\b/i;

interface LoggedConnection {
  executeQuery<T>(
    query: string,
    run: () => Promise<T>,
    context?: object,
  ): Promise<T>;
}

/**
 * Runs a read statement as a named prepared statement on one of the ORM's pooled connections:
 * PostgreSQL parses and plans it once per connection instead of for every request (MikroORM
 * inlines parameters into the text, so its statements are planned every time). The statement is
 * logged and counted like the ORM's own (the ORM's query logger, slow-query log), and its
 * connection answers to the request's abort signal (cancelQueriesOnAbort). Parameters are bound,
 * never inlined; an array stands for `array[?]` only (an array bound to a plain `?` is a mistake
 * in the caller's SQL and is refused). A plain read carries the FoldedRead offered to the work it
 * runs in, if any is still wanted (withFoldedRead); its rows come back as they would without it.
 */
export async function runPrepared<T extends Row = Row>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<T[]> {
  const offer = offered.getStore();
  const folded =
    offer && preparedText(sql).mayCarry && offer.claim() ? offer : null;
  if (!folded) return runPreparedText<T>(em, sql, params);
  let carried: Carried<T>;
  try {
    // The carried read's placeholders come first in the text, so its parameters do too. The rows
    // keep the statement's order: a subquery in FROM that sorts is not flattened, and one that is
    // flattened is planned as the statement alone was, the scalar subquery being run once.
    carried = await runPreparedText(
      em,
      foldedText(sql, folded.sql),
      [...folded.params, ...params],
      withoutLastColumn<T>,
    );
  } catch (error) {
    folded.settle(undefined);
    throw error;
  }
  folded.settle(carried.rows.length ? carried.last : undefined);
  return carried.rows;
}

// The text of `sql` carrying the read `carried`: made once per statement and read (both are a few
// constant texts), not on every request.
function foldedText(sql: string, carried: string): string {
  const { carrying } = preparedText(sql);
  let text = carrying.get(carried);
  if (text === undefined) {
    text = `select _sshub_q.*, (${carried}) as ${FOLDED_COLUMN} from (${sql}) _sshub_q`;
    carrying.set(carried, text);
  }
  return text;
}

/** A carrying statement's rows without the carried column, and that column's value on the first row (null without rows). */
interface Carried<T> {
  rows: T[];
  last: string | null;
}

/**
 * The rows of a result read as arrays (`rowMode: "array"`), as the objects pg would have made of
 * them without their last column: the same properties in the same order (a copy of one empty row,
 * as pg makes its rows), so they keep one shape. Deleting the column from pg's rows instead turned
 * each into a slow dictionary object (a tenth of a savings page's garbage).
 */
function withoutLastColumn<T extends Row>(
  result: QueryResult<unknown[]>,
): Carried<T> {
  const names = result.fields.slice(0, -1).map((field) => field.name);
  const empty: Row = {};
  for (const name of names) empty[name] = null;
  const rows: T[] = [];
  for (const values of result.rows) {
    const row: Row = { ...empty };
    for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
    rows.push(row as T);
  }
  const first = result.rows[0];
  return {
    rows,
    last: first ? ((first[names.length] as string | null) ?? null) : null,
  };
}

async function runPreparedText<T extends Row>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<T[]>;
async function runPreparedText<R>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
  readArrays: (result: QueryResult<unknown[]>) => R,
): Promise<R>;
async function runPreparedText(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
  readArrays?: (result: QueryResult<unknown[]>) => unknown,
): Promise<unknown> {
  const { name, text, arrays } = preparedText(sql);
  if (arrays.length !== params.length)
    throw new Error(
      `runPrepared: ${arrays.length} placeholders but ${params.length} parameters`,
    );
  params.forEach((value, i) => {
    if (Array.isArray(value) !== arrays[i])
      throw new Error(
        `runPrepared: parameter ${i + 1} ${arrays[i] ? "must" : "must not"} be an array`,
      );
  });
  const connection = em.getConnection();
  const pool = (await connection.getNativeClient()) as Pool;
  // Connection.executeQuery is what MikroORM's own execute runs a statement through (timing and
  // logging it); it is protected in the typings only.
  return (connection as unknown as LoggedConnection).executeQuery(
    text,
    async () => {
      const client = await pool.connect();
      try {
        const values = params as unknown[];
        const result = readArrays
          ? readArrays(
              await client.query<unknown[]>({
                name,
                text,
                values,
                rowMode: "array",
              }),
            )
          : (await client.query<Row>({ name, text, values })).rows;
        client.release();
        return result;
      } catch (error) {
        // A connection whose statement failed may be broken (terminated on abort): the pool drops it.
        client.release(error as Error);
        throw error;
      }
    },
    { sql: text, params },
  );
}

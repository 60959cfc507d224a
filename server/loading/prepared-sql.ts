import { createHash } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Pool } from "pg";
import type { Row } from "./sql-rows.js";

/** A statement's text in PostgreSQL's `$n` form and the name it is prepared under. */
interface PreparedText {
  name: string;
  text: string;
  /** Which placeholders stand for a whole array (`array[?]` in the source): passed as one array parameter. */
  arrays: boolean[];
}

// Statement texts are few (one per shape of filter), so their conversions are kept for the process.
const converted = new Map<string, PreparedText>();

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
  found = { name, text, arrays };
  converted.set(sql, found);
  return found;
}

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
 * in the caller's SQL and is refused).
 */
export async function runPrepared<T extends Row = Row>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<T[]> {
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
        const result = await client.query<T>({
          name,
          text,
          values: params as unknown[],
        });
        client.release();
        return result.rows;
      } catch (error) {
        // A connection whose statement failed may be broken (terminated on abort): the pool drops it.
        client.release(error as Error);
        throw error;
      }
    },
    { sql: text, params },
  );
}

import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * The bulk-write path's two dealings below MikroORM's public API, in one place: running a statement
 * with its parameters bound ($1, $2...) inside the EntityManager's transaction, and the PostgreSQL
 * arrays those parameters carry, built in the binary wire format. Both depend on details outside the
 * libraries' documented surface (MikroORM 7's transaction context being a Kysely executor;
 * node-postgres sending a Buffer parameter in binary), so they are tested here, against PostgreSQL.
 */

/** What MikroORM 7's transaction context is underneath: a Kysely executor. */
interface KyselyExecutor {
  executeQuery(query: {
    sql: string;
    parameters: readonly unknown[];
    query: { kind: "RawNode"; sqlFragments: string[]; parameters: [] };
    queryId: { queryId: string };
  }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a statement inside the EntityManager's transaction with bound parameters ($1, $2...) sent to
 * PostgreSQL as such. `em.execute` formats parameters into the SQL text first, which for a
 * multi-megabyte batch costs hundreds of megabytes of copies; this keeps bulk staging at a few
 * megabytes. The statement (not its parameters) is still logged like every other.
 */
export async function executeBound<T = unknown>(
  em: EntityManager,
  sql: string,
  parameters: readonly unknown[],
): Promise<T[]> {
  const context = em.getTransactionContext() as KyselyExecutor | undefined;
  if (!context) throw new Error("executeBound needs a transaction");
  const connection = em.getConnection() as unknown as {
    logQuery?: (query: string, context?: Record<string, unknown>) => void;
  };
  const started = Date.now();
  const result = await context.executeQuery({
    sql,
    parameters,
    query: { kind: "RawNode", sqlFragments: [sql], parameters: [] },
    queryId: { queryId: "sshub-import" },
  });
  connection.logQuery?.(sql, { took: Date.now() - started });
  return result.rows as T[];
}

/** PostgreSQL type oids of the array elements sent in binary. */
const OIDS = { int2: 21, int4: 23, int8: 20 } as const;

/**
 * A one-dimensional int2[] or int4[] in the binary wire format (what array_recv reads), written
 * into a Buffer outside the JavaScript heap instead of a comma-joined string per column; `at`
 * answers null for a NULL element. Bind it as `$n::smallint[]` or `$n::int[]`.
 */
export function binaryIntArray(
  type: "int2" | "int4",
  n: number,
  at: (i: number) => number | null,
): Buffer {
  const size = type === "int2" ? 2 : 4;
  // `at` is asked once per element; the values wait here while the buffer's size is counted.
  if (scratch.length < n)
    scratch = new Float64Array(Math.max(n, scratch.length * 2));
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const value = at(i);
    if (value === null) nulls++;
    scratch[i] = value ?? Number.NaN;
  }
  const buffer = Buffer.allocUnsafe(20 + n * 4 + (n - nulls) * size);
  // DataView's big-endian writes, which V8 compiles to a store, not Buffer's checked writeInt32BE.
  const view = viewOf(buffer);
  let offset = header(view, OIDS[type], n, nulls > 0);
  for (let i = 0; i < n; i++) {
    const value = scratch[i]!;
    if (value !== value) {
      view.setInt32(offset, -1);
      offset += 4;
    } else if (size === 4) {
      view.setInt32(offset, 4);
      view.setInt32(offset + 4, value);
      offset += 8;
    } else {
      view.setInt32(offset, 2);
      view.setInt16(offset + 4, value);
      offset += 6;
    }
  }
  return buffer;
}

/** binaryIntArray's values while it sizes its buffer (NaN for NULL), reused from call to call. */
let scratch = new Float64Array(0);

function viewOf(buffer: Buffer): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * An int8[] in the binary wire format from the native-order bytes of `n` int64 values (a
 * BigInt64Array's buffer), copied as two 32-bit halves: reading the elements would make a BigInt each.
 */
export function binaryInt8Array(bytes: Uint8Array, n: number): Buffer {
  const buffer = Buffer.allocUnsafe(20 + n * 12);
  const view = viewOf(buffer);
  const from = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = LITTLE_ENDIAN ? 0 : 4;
  let offset = header(view, OIDS.int8, n, false);
  for (let k = 0; k < n; k++) {
    view.setInt32(offset, 8);
    view.setUint32(offset + 4, from.getUint32(k * 8 + 4 - low, LITTLE_ENDIAN));
    view.setUint32(offset + 8, from.getUint32(k * 8 + low, LITTLE_ENDIAN));
    offset += 12;
  }
  return buffer;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Writes an array's header (one dimension of `n` from index 1); returns where its elements start. */
function header(view: DataView, oid: number, n: number, nulls: boolean) {
  view.setInt32(0, 1); // dimensions
  view.setInt32(4, nulls ? 1 : 0);
  view.setUint32(8, oid);
  view.setInt32(12, n);
  view.setInt32(16, 1); // lower bound
  return 20;
}

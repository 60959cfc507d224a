import type { Client, Pool, PoolClient } from "pg";

/** Which AbortSignal the work running now answers to; none outside a request (CLI commands, start-up). */
let currentSignal: () => AbortSignal | undefined = () => undefined;

/**
 * Says where the pool finds the signal of the work running now (the HTTP layer: the request's).
 * Called once by the server; the database layer knows nothing of requests.
 */
export function setAbortSignalSource(
  source: () => AbortSignal | undefined,
): void {
  currentSignal = source;
}

/**
 * Makes work that is aborted stop in PostgreSQL too. Each connection taken from `pool` is tied to the
 * signal of the work that took it until it is given back; when that signal aborts, the connection is
 * closed and its server process terminated (`pg_terminate_backend`, from a connection of its own), so
 * a statement still running for an answered or timed-out request stops at once. Closing first makes
 * the termination safe: no other work can be using that server process. An aborted signal also
 * refuses new connections, so the rest of the work fails fast instead of queueing.
 */
export function cancelQueriesOnAbort(pool: Pool): void {
  const original = pool.connect;
  const connect = original.bind(pool) as (
    callback?: unknown,
  ) => Promise<PoolClient>;
  const terminate = async (client: PoolClient) => {
    const pid = (client as PoolClient & { processID: number }).processID;
    void client.end().catch(() => undefined);
    const admin = new (
      pool as unknown as { Client: new (options: unknown) => Client }
    ).Client(pool.options);
    // An idle client's 'error' event would otherwise be an uncaught exception.
    admin.on("error", () => undefined);
    try {
      await admin.connect();
      await admin.query("select pg_terminate_backend($1)", [pid]);
    } catch {
      // The database is gone or the process ended already: nothing is left running either way.
    } finally {
      await admin.end().catch(() => undefined);
    }
  };
  pool.connect = (async (callback?: unknown) => {
    if (callback) return connect(callback);
    const signal = currentSignal();
    signal?.throwIfAborted();
    const client = await connect();
    if (!signal) return client;
    if (signal.aborted) {
      client.release();
      signal.throwIfAborted();
    }
    const onAbort = () => void terminate(client);
    signal.addEventListener("abort", onAbort, { once: true });
    const release = client.release.bind(client);
    client.release = (error?: Error | boolean) => {
      signal.removeEventListener("abort", onAbort);
      return release(error);
    };
    return client;
  }) as Pool["connect"];
}

import pg from "pg";
import { writeHeapSnapshot } from "node:v8";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What a bench server process reports when the runner asks (IPC): its own counters, nothing else's. */
export interface ChildStats {
  /** User + system CPU of this process since it started, in microseconds. */
  cpuMicros: number;
  /** SQL statements this process has sent, since it started. */
  statements: number;
  rssBytes: number;
  /** The most resident memory this process has had (process.resourceUsage().maxRSS). */
  maxRssBytes: number;
  /** V8's heap in use and reserved, and memory outside it (Buffers): where the resident memory is. */
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
}

/** The first message a bench server sends its runner: where it listens. */
export interface ChildReady {
  ready: string;
}

let statements = 0;

/**
 * Counts every statement this process sends through `pg` (the hub through MikroORM, PostGraphile
 * through @dataplan/pg and the floor server all use the one `pg` Client), so statements per
 * request are counted the same way for each server.
 */
export function countStatements(): void {
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (
    this: pg.Client,
    ...args: unknown[]
  ): unknown {
    statements++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
}

/** Starts `server` on a free loopback port; resolves with its URL (`path` appended). */
export async function listenOnLoopback(
  server: Server,
  path: string,
): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}${path}`;
}

/** Asks a bench server to write a heap snapshot to `path` (answered with the path once written). */
export interface HeapSnapshotRequest {
  heapSnapshot: string;
}

/**
 * Tells the runner the server's URL, then answers each "stats" message with this process's
 * counters, writes a heap snapshot when asked (`--heap-snapshot`), and stops on "stop".
 */
export function serveBenchChild(url: string, stop: () => Promise<void>): void {
  process.on("message", (message: unknown) => {
    if (message === "stats") {
      const cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      const stats: ChildStats = {
        cpuMicros: cpu.user + cpu.system,
        statements,
        rssBytes: memory.rss,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        heapUsedBytes: memory.heapUsed,
        heapTotalBytes: memory.heapTotal,
        externalBytes: memory.external,
      };
      process.send!(stats);
    } else if (
      message &&
      typeof message === "object" &&
      "heapSnapshot" in message
    ) {
      const path = (message as HeapSnapshotRequest).heapSnapshot;
      process.send!({ heapSnapshot: writeHeapSnapshot(path) });
    } else if (message === "stop") {
      void stop().then(() => process.exit(0));
    }
  });
  // The runner going away (killed, crashed) must not leave a server behind.
  process.on("disconnect", () => process.exit(0));
  const ready: ChildReady = { ready: url };
  process.send!(ready);
}

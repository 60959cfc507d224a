/** What a `pg` pool keeps of the options each of its new connections is made from. */
interface FollowingPool {
  options: { host?: string; port?: number; connectionString?: string };
  ended?: boolean;
}

/** The pools of this process that connect to the embedded cluster (see followClusterPort). */
const pools = new Set<FollowingPool>();

/**
 * Registers a `pg` pool whose new connections should follow the embedded cluster when it comes back
 * on another port (its old one taken meanwhile), so that a long-running hub reattaches instead of
 * answering 503 until it is restarted. `pg` builds every new connection from the pool's options, so
 * changing them is enough; the connections to the dead server are dropped by the pool on their errors.
 */
export function followClusterPort(pool: FollowingPool): void {
  pools.add(pool);
}

/**
 * Points every registered pool that connected to 127.0.0.1:`from` at `to` instead; returns how
 * many it moved. Pools that ended are forgotten.
 */
export function moveClusterPort(from: number, to: number): number {
  let moved = 0;
  for (const pool of pools) {
    if (pool.ended) {
      pools.delete(pool);
      continue;
    }
    const { options } = pool;
    if (options.connectionString) {
      const url = new URL(options.connectionString);
      if (isLoopback(url.hostname) && Number(url.port) === from) {
        options.connectionString = withPort(options.connectionString, to);
        moved++;
      }
    } else if (isLoopback(options.host ?? "") && options.port === from) {
      options.port = to;
      moved++;
    }
  }
  return moved;
}

/** The URL with its port replaced (for the embedded cluster's `postgresql://…@127.0.0.1:port/db`). */
export function withPort(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.port = String(port);
  return parsed.toString();
}

function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost";
}

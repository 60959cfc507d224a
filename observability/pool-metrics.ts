import type { Pool } from "pg";
import { Gauge } from "prom-client";
import { metricsRegistry } from "./metrics-registry.js";

const pools = new Set<Pool>();

function sum(count: (pool: Pool) => number): number {
  let total = 0;
  for (const pool of pools) {
    if (pool.ended) pools.delete(pool);
    else total += count(pool);
  }
  return total;
}

/** Connections of the hub's database pools checked out by a query or transaction now. */
export const poolInUse = new Gauge({
  name: "sshub_db_pool_in_use",
  help: "Database connections in use (checked out of the pool).",
  registers: [metricsRegistry],
  collect() {
    this.set(sum((pool) => pool.totalCount - pool.idleCount));
  },
});

/** Callers waiting for a connection because the pool is full. */
export const poolWaiting = new Gauge({
  name: "sshub_db_pool_waiting",
  help: "Queries waiting for a database connection because the pool is at its maximum.",
  registers: [metricsRegistry],
  collect() {
    this.set(sum((pool) => pool.waitingCount));
  },
});

/** Open connections of the pools, in use or idle. */
export const poolSize = new Gauge({
  name: "sshub_db_pool_connections",
  help: "Open database connections of the pool, in use or idle.",
  registers: [metricsRegistry],
  collect() {
    this.set(sum((pool) => pool.totalCount));
  },
});

/** Counts `pool` in the pool gauges until it ends (the ORM calls this for each pool it makes). */
export function watchPool(pool: Pool): void {
  pools.add(pool);
}

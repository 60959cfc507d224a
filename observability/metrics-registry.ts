import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * The one Prometheus registry of the process: every metric of the hub (HTTP, GraphQL, database
 * pool, import jobs) registers here, and `GET /metrics` prints it. Metric names start with `sshub_`.
 */
export const metricsRegistry = new Registry();

let collectingProcess = false;

/**
 * Adds Node's process metrics (CPU, memory, event-loop delay, handles) to the registry, once.
 * Called by the servers that serve /metrics, not on import: tests that load a module stay quiet.
 */
export function collectProcessMetrics(): void {
  if (collectingProcess) return;
  collectingProcess = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: "sshub_" });
}

import { Counter, Histogram } from "prom-client";
import { metricsRegistry } from "./metrics-registry.js";

/** HTTP requests answered, by route (graphql, imports, exports, web, healthz, …), GraphQL operation and status. */
export const httpRequests = new Counter({
  name: "sshub_http_requests_total",
  help: "HTTP requests answered, by route, GraphQL operation name and status code.",
  labelNames: ["route", "operation", "status"] as const,
  registers: [metricsRegistry],
});

/** How long requests took, from arrival to the last byte of the answer. */
export const httpRequestDuration = new Histogram({
  name: "sshub_http_request_duration_seconds",
  help: "Time from a request's arrival to the end of its answer, by route and GraphQL operation name.",
  labelNames: ["route", "operation"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [metricsRegistry],
});

/** GraphQL errors sent to clients, by the code they carried (UNAUTHENTICATED, BAD_USER_INPUT, …). */
export const graphqlErrors = new Counter({
  name: "sshub_graphql_errors_total",
  help: "GraphQL errors sent to clients, by extensions.code.",
  labelNames: ["code"] as const,
  registers: [metricsRegistry],
});

/** How many distinct operation names become labels; later ones are counted as "other". */
export const MAX_OPERATION_LABELS = 200;

const seenOperations = new Set<string>();

/**
 * The `operation` label for a GraphQL operation name chosen by a client: a valid GraphQL name of at
 * most 64 characters, and only the first MAX_OPERATION_LABELS distinct ones, so a client cannot
 * grow the metrics without bound. No name is "anonymous"; anything else is "other".
 */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return "anonymous";
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return "other";
  if (seenOperations.has(name)) return name;
  if (seenOperations.size >= MAX_OPERATION_LABELS) return "other";
  seenOperations.add(name);
  return name;
}

import type { IncomingMessage, ServerResponse } from "node:http";
import {
  httpRequestDuration,
  httpRequests,
  operationLabel,
} from "../observability/http-metrics.js";
import type { Logger } from "../observability/logger.js";
import type { RequestScope } from "./request-scope.js";

/**
 * Writes one access-log line per request once its answer is out (or its client gone), and counts
 * it in the HTTP metrics: method, path (never the query string, which may hold a GraphQL document),
 * status, duration, request id, token name, GraphQL operation and client address.
 */
export function logWhenAnswered(
  req: IncomingMessage,
  res: ServerResponse,
  scope: RequestScope,
  path: string,
  clientAddress: string,
  logger: Logger,
): void {
  const started = process.hrtime.bigint();
  res.once("close", () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const durationMs = Math.round(seconds * 10_000) / 10;
    // A client that went away before the answer was complete: the status set is not what it got.
    const status = res.writableFinished ? res.statusCode : 499;
    const operation =
      scope.route === "graphql" ? operationLabel(scope.operation) : "";
    httpRequests.inc({ route: scope.route, operation, status });
    httpRequestDuration.observe({ route: scope.route, operation }, seconds);
    logger.info(
      {
        requestId: scope.id,
        method: req.method,
        path,
        status,
        durationMs,
        ...(scope.token ? { token: scope.token } : {}),
        ...(scope.operation ? { operation: scope.operation } : {}),
        address: clientAddress,
      },
      `${req.method} ${path} ${status} ${durationMs} ms`,
    );
  });
}

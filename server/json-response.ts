import { ApolloServerErrorCode } from "@apollo/server/errors";
import type { ServerResponse } from "node:http";
import { ErrorCode, HubError } from "../errors/hub-error.js";
import { DATABASE_RETRY_AFTER_SECONDS } from "./hub-error-of.js";

/** Answers with a JSON body: the one way every HTTP route of the hub writes JSON. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(JSON.stringify(body));
}

/** A code an HTTP error answer may carry: the hub's own, or Apollo's for malformed requests and bugs. */
export type ResponseErrorCode = ErrorCode | ApolloServerErrorCode;

/**
 * Answers an error in the one shape every route of the hub uses, GraphQL's own:
 * `{ "errors": [{ "message": "…", "extensions": { "code": "…" } }] }`, so a client reads
 * `/graphql`, `/imports` and `/exports` refusals alike.
 */
export function sendError(
  res: ServerResponse,
  status: number,
  code: ResponseErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): void {
  sendJson(res, status, {
    errors: [{ message, extensions: { code, ...extensions } }],
  });
}

/**
 * The HTTP status of every code of the enum: a Record, so a new code does not compile until it has
 * one. 500 is a fault of the hub's own (a configuration, a statement PostgreSQL refused): such an
 * error is logged and answered masked, with the request id. A statement cut off at statement_timeout
 * is 503 like the request deadline's answer (request-scope.ts), not 504: the hub is the origin
 * server, and a proxy in front of it answers 504 for its own timeouts.
 */
export const HTTP_STATUS_OF: Record<ErrorCode, number> = {
  [ErrorCode.BadUserInput]: 400,
  [ErrorCode.QueryTooDeep]: 400,
  [ErrorCode.QueryTooCostly]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.TooLarge]: 413,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.QueueFull]: 429,
  [ErrorCode.ConfigurationError]: 500,
  [ErrorCode.DatabaseFault]: 500,
  [ErrorCode.DatabaseUnavailable]: 503,
  [ErrorCode.UploadsBusy]: 503,
  [ErrorCode.TimedOut]: 503,
};

/** The status a HubError is answered with; undefined for anything else, and for the hub's own faults (500). */
export function clientErrorStatus(error: unknown): number | undefined {
  if (!(error instanceof HubError)) return undefined;
  const status = HTTP_STATUS_OF[error.code];
  return status === 500 ? undefined : status;
}

/**
 * Answers a HubError with its HTTP status, and with Retry-After where it says when to try again (its
 * `retryAfterSeconds`; for an unavailable database always). Returns false for anything else (a bug, a
 * raw driver error, a fault of the hub's own), which the caller rethrows: the HTTP server logs it
 * and answers what `hubErrorOf` makes of it.
 */
export function sendHubError(res: ServerResponse, error: unknown): boolean {
  const status = clientErrorStatus(error);
  if (status === undefined) return false;
  const { code, message, details } = error as HubError;
  const retryAfter =
    details?.retryAfterSeconds ??
    (code === ErrorCode.DatabaseUnavailable
      ? DATABASE_RETRY_AFTER_SECONDS
      : undefined);
  if (typeof retryAfter === "number")
    res.setHeader("retry-after", String(retryAfter));
  sendError(res, status, code, message);
  return true;
}

/** Answers 500 with the request id the log line carries; a response already under way is cut off instead. */
export function sendInternalError(
  res: ServerResponse,
  requestId: string,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(
    res,
    500,
    ApolloServerErrorCode.INTERNAL_SERVER_ERROR,
    "Internal server error",
    { requestId },
  );
}

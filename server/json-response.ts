import { ApolloServerErrorCode } from "@apollo/server/errors";
import type { ServerResponse } from "node:http";
import { ErrorCode, HubError } from "../errors/hub-error.js";

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

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.BadUserInput]: 400,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.TooLarge]: 413,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.QueueFull]: 429,
  [ErrorCode.UploadsBusy]: 503,
};

/** The HTTP status of a client's HubError; undefined for anything else (a bug, or a fault of the hub's own). */
export function clientErrorStatus(error: unknown): number | undefined {
  return error instanceof HubError ? STATUS_OF[error.code] : undefined;
}

/**
 * Answers a client's HubError with its HTTP status. Returns false for anything else (a bug), which
 * the caller rethrows so it is logged and masked.
 */
export function sendHubError(res: ServerResponse, error: unknown): boolean {
  const status = clientErrorStatus(error);
  if (!(error instanceof HubError) || !status) return false;
  sendError(res, status, error.code, error.message);
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

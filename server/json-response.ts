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

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.BadUserInput]: 400,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
};

/**
 * Answers a client's HubError as `{ error, code }` with its HTTP status. Returns false for anything
 * else (a bug), which the caller rethrows so it is logged and masked.
 */
export function sendHubError(res: ServerResponse, error: unknown): boolean {
  const status = error instanceof HubError ? STATUS_OF[error.code] : undefined;
  if (!(error instanceof HubError) || !status) return false;
  sendJson(res, status, { error: error.message, code: error.code });
  return true;
}

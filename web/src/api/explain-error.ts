import type { ErrorCode } from "../../../errors/hub-error.js";

/**
 * A code of the hub's own, as its error answers carry it: the one enum's values (errors/hub-error.ts).
 * A type only: the page cannot import the server's modules, and needs none of them at run time.
 */
export type HubErrorCode = `${ErrorCode}`;

/**
 * What the page adds to the hub's message for each of its codes: what the person can do about it
 * ("" where the hub's message says it already). A Record, so a code added to the enum does not
 * compile here until the page knows it (test/web/hub-error-codes.test.ts checks it too).
 */
export const ERROR_ADVICE: Record<HubErrorCode, string> = {
  UNAUTHENTICATED:
    ' Sign in again with a valid token (an admin creates one with "sshub token create").',
  FORBIDDEN:
    " Your token's role does not allow this; ask an admin for a token with the role it needs.",
  NOT_FOUND: "",
  BAD_USER_INPUT: "",
  TOO_LARGE: "",
  QUERY_TOO_DEEP: "",
  QUERY_TOO_COSTLY: "",
  RATE_LIMITED: "",
  QUEUE_FULL: "",
  UPLOADS_BUSY: "",
  TIMED_OUT: "",
  DATABASE_UNAVAILABLE: " If it persists, tell the hub's operator.",
  CONFIGURATION_ERROR: " Tell the hub's operator.",
  DATABASE_FAULT: " If it persists, tell the hub's operator.",
};

function isHubErrorCode(code: string): code is HubErrorCode {
  return Object.hasOwn(ERROR_ADVICE, code);
}

/**
 * A sentence for an error answer of the hub: what happened and what to do. The hub's own codes
 * first; without one (a proxy's answer, Apollo's), the HTTP status says what it can.
 */
export function explainError(
  status: number,
  code: string,
  message: string,
): string {
  if (isHubErrorCode(code) && message) return `${message}${ERROR_ADVICE[code]}`;
  if (status === 401) return `${message}${ERROR_ADVICE.UNAUTHENTICATED}`;
  if (status === 403) return `${message}${ERROR_ADVICE.FORBIDDEN}`;
  if (status === 429) return message;
  if (status >= 500)
    return `The hub met an internal error${message ? ` (${message})` : ""}. Try again; if it persists, tell the hub's operator.`;
  return message;
}

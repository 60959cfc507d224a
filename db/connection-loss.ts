/** SQLSTATE classes and codes that mean the server went away, not that a statement was wrong. */
const LOST_SQLSTATES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08003",
  "08006",
  "08001",
  "08004",
]);
const LOST_ERRNOS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTCONN",
]);
const LOST_MESSAGES =
  /Connection terminated|connection is closed|Client has encountered a connection error|terminating connection|server closed the connection|Client was closed/i;

/**
 * Whether error (or its cause) says the connection to PostgreSQL was lost: the server stopped,
 * crashed or was killed. The only errors an import turns into "the database went away" rather than
 * a problem with the workbook.
 */
export function isConnectionLoss(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const { code, message, cause } = e as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (
      typeof code === "string" &&
      (LOST_SQLSTATES.has(code) || LOST_ERRNOS.has(code))
    )
      return true;
    if (typeof message === "string" && LOST_MESSAGES.test(message)) return true;
    e = cause;
  }
  return false;
}

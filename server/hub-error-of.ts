import { isConnectionLoss } from "../db/connection-loss.js";
import { isStatementTimeout } from "../db/orm-config.js";
import {
  DatabaseUnavailableError,
  HubError,
  TimedOutError,
} from "../errors/hub-error.js";

/** How long a client is told to wait (Retry-After) before trying again without a database. */
export const DATABASE_RETRY_AFTER_SECONDS = 10;

/**
 * The HubError a request's failure means to its client: a HubError itself; a statement PostgreSQL
 * cancelled at statement_timeout, TIMED_OUT; a connection to PostgreSQL refused or lost,
 * DATABASE_UNAVAILABLE. Undefined for anything else: a bug, logged and masked. GraphQL's answers and
 * every HTTP route's go through this, so one failure is one code everywhere.
 */
export function hubErrorOf(error: unknown): HubError | undefined {
  if (error instanceof HubError) return error;
  if (isStatementTimeout(error)) return TimedOutError.statement();
  if (isConnectionLoss(error))
    return DatabaseUnavailableError.unreachable(DATABASE_RETRY_AFTER_SECONDS);
  return undefined;
}

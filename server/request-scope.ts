import { AsyncLocalStorage } from "node:async_hooks";
import type { ServerResponse } from "node:http";
import { setAbortSignalSource } from "../db/cancel-on-abort.js";
import { ConfigurationError, ErrorCode } from "../errors/hub-error.js";
import { setLogContextSource } from "../observability/logger.js";
import { sendError } from "./json-response.js";

const current = new AsyncLocalStorage<RequestScope>();

// The database's connections stop their statements when the request they serve is aborted.
setAbortSignalSource(() => current.getStore()?.signal);
// Every line logged while a request's work runs names the request (and its caller's token name).
setLogContextSource(() => {
  const scope = current.getStore();
  if (!scope) return undefined;
  return scope.token
    ? { requestId: scope.id, token: scope.token }
    : { requestId: scope.id };
});

/** The request deadline when SSHUB_REQUEST_TIMEOUT_MS is unset: twice the statement timeout. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** The deadline of a GraphQL or export request, from `SSHUB_REQUEST_TIMEOUT_MS` (milliseconds; 0: none). */
export function requestTimeoutFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): number {
  const text = env.SSHUB_REQUEST_TIMEOUT_MS?.trim();
  if (!text) return DEFAULT_REQUEST_TIMEOUT_MS;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0)
    throw ConfigurationError.notWholeNumber(
      "SSHUB_REQUEST_TIMEOUT_MS",
      text,
      "milliseconds",
      0,
    );
  return value;
}

/**
 * One HTTP request as the rest of the process sees it: everything started while handling it
 * (promises, timers, event handlers, database queries) runs in its scope, so a failure nobody caught
 * and work still running once the answer is sent can be traced back to it.
 */
export class RequestScope {
  private readonly controller = new AbortController();

  /** What the request turned out to be, for its access-log line and metrics: a route name (graphql, imports, web, …). */
  route = "other";
  /** The GraphQL operation name, once Apollo has resolved it. */
  operation: string | undefined;
  /** The caller's token name (never the token), once authenticated. */
  token: string | undefined;

  constructor(
    /** Sent back as `x-request-id` and written beside every log line about the request. */
    readonly id: string,
    readonly res: ServerResponse,
  ) {}

  // Answers whose text was written elsewhere (by PostgreSQL, sql-answers/), by their placeholders.
  private readonly heldBodies = new Map<string, readonly string[]>();

  /**
   * Keeps an answer's text (in pieces) for the HTTP answer, and returns the placeholder Apollo's
   * body carries instead: a long answer made into one string, then encoded, costs two copies of
   * it in V8's old generation. Each placeholder is the request's own (a request may run twice).
   */
  holdBody(pieces: readonly string[]): string {
    const placeholder = `\u0000held answer ${this.heldBodies.size}`;
    this.heldBodies.set(placeholder, pieces);
    return placeholder;
  }

  /** The answer's bytes when `body` is a placeholder holdBody gave; undefined for any other body. */
  heldBody(body: string): Buffer | undefined {
    const pieces = this.heldBodies.get(body);
    return pieces && Buffer.concat(pieces.map((piece) => Buffer.from(piece)));
  }

  /** The scope of the request whose work is running now, if any. */
  static current(): RequestScope | undefined {
    return current.getStore();
  }

  /** Aborted once the request's work must stop: answered, past its deadline, or its client gone. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Stops whatever of the request's work is still running; `reason` says why, for the log. */
  abort(reason: Error): void {
    if (!this.signal.aborted) this.controller.abort(reason);
  }

  /**
   * Bounds the request's work: it stops (in PostgreSQL too) once the answer is out or the client has
   * gone, so a field that fails early leaves no sibling running; and past `timeoutMs` (0: never) the
   * request is answered 503 TIMED_OUT and stopped.
   */
  stopWhenAnsweredOrAfter(timeoutMs: number): void {
    this.res.once("close", () =>
      this.abort(new Error("answered, or the client went away")),
    );
    if (timeoutMs <= 0) return;
    const timer = setTimeout(() => {
      if (!this.res.headersSent)
        sendError(
          this.res,
          503,
          ErrorCode.TimedOut,
          `The request took longer than ${timeoutMs} ms (SSHUB_REQUEST_TIMEOUT_MS) and was stopped: ask for less (smaller pages, fewer fields or aliases).`,
        );
      this.abort(new Error(`past its deadline of ${timeoutMs} ms`));
    }, timeoutMs);
    this.res.once("close", () => clearTimeout(timer));
  }

  /** Runs `work` (and everything it starts) in this scope. */
  run<T>(work: () => T): T {
    return current.run(this, work);
  }
}

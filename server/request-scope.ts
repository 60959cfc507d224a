import { AsyncLocalStorage } from "node:async_hooks";
import type { ServerResponse } from "node:http";

const current = new AsyncLocalStorage<RequestScope>();

/**
 * One HTTP request as the rest of the process sees it: everything started while handling it
 * (promises, timers, event handlers, database queries) runs in its scope, so a failure nobody caught
 * and work still running once the answer is sent can be traced back to it.
 */
export class RequestScope {
  private readonly controller = new AbortController();

  constructor(
    /** Sent back as `x-request-id` and written beside every log line about the request. */
    readonly id: string,
    readonly res: ServerResponse,
  ) {}

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

  /** Runs `work` (and everything it starts) in this scope. */
  run<T>(work: () => T): T {
    return current.run(this, work);
  }
}

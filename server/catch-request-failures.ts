import { RequestScope } from "./request-scope.js";
import { sendInternalError } from "./json-response.js";

function describe(error: unknown): string {
  return error instanceof Error
    ? (error.stack ?? error.message)
    : String(error);
}

/**
 * Keeps one request's bug from taking the hub down: an exception or rejection nobody caught, raised
 * by a request's work, is logged with the request id and answered 500 (unless an answer went out
 * already), and the hub carries on. Outside any request it is a bug of the process itself: logged,
 * and the process exits 1, as Node would. Returns a function that removes the handlers.
 */
export function catchRequestFailures(log: (line: string) => void): () => void {
  const handle = (kind: string) => (error: unknown) => {
    const scope = RequestScope.current();
    if (!scope) {
      log(`sshub: ${kind} outside any request: ${describe(error)}`);
      process.exit(1);
    }
    scope.run(() => log(`request ${scope.id}: ${kind}: ${describe(error)}`));
    scope.abort(new Error(`${kind} in the request`));
    if (!scope.res.writableEnded) sendInternalError(scope.res, scope.id);
  };
  const onException = handle("uncaught exception");
  const onRejection = handle("unhandled rejection");
  process.on("uncaughtException", onException);
  process.on("unhandledRejection", onRejection);
  return () => {
    process.off("uncaughtException", onException);
    process.off("unhandledRejection", onRejection);
  };
}

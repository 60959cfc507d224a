/**
 * Waits for `promise` at most `ms`, never throwing. On a connection the server has just dropped, pg
 * can leave a query, end() or a pool's close unanswered for good; what is left to do then (marking a
 * run, closing a pool) is best effort, and must not keep the command from reporting the failure.
 */
export async function settleWithin(
  promise: Promise<unknown>,
  ms = 2_000,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

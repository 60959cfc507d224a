import { isConnectionLoss } from "../db/connection-loss.js";
import { hubSessionOpen } from "./hub-session.js";
import { DatabaseUnavailableError, HubError } from "../errors/hub-error.js";
import type { Logger } from "../observability/logger.js";

/** Exit codes of every sshub command. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;

let logger: Logger | undefined;

/**
 * Sends this process's lines (logLine, and the failure lines of runCommand) to `to` from now on: the
 * long-running commands (start, worker) log structured lines; the others print plain ones.
 */
export function logLinesThrough(to: Logger): void {
  logger = to;
}

/** Prints one line to stderr, the way every sshub message reads (or logs it, see logLinesThrough). */
export function logLine(line: string): void {
  if (logger) logger.info(line);
  else process.stderr.write(`${line}\n`);
}

/** Like logLine, for a failure: at level error when logging. */
function failureLine(line: string): void {
  if (logger) logger.error(line);
  else process.stderr.write(`${line}\n`);
}

/**
 * Runs a command body with the same error handling everywhere: a HubError prints one clear line
 * with its code and exits 1; anything else is a bug, printed with its stack.
 */
export async function runCommand(
  body: () => Promise<number | void>,
): Promise<never> {
  // The event loop ran dry while the body still waits: a promise pg will never settle, because its
  // server died under it (Node would exit 13 without a word).
  process.once("beforeExit", () => {
    const error = hubSessionOpen()
      ? DatabaseUnavailableError.stoppedAnswering()
      : null;
    failureLine(
      error
        ? `sshub: ${error.message} [${error.code}]`
        : "sshub: unexpected error: the command stopped with work unfinished and nothing left to wait for.",
    );
    process.exit(ExitCode.Failed);
  });
  try {
    const code = await body();
    process.exit(code ?? ExitCode.Ok);
  } catch (thrown) {
    const error =
      !(thrown instanceof HubError) && isConnectionLoss(thrown)
        ? DatabaseUnavailableError.connectionLost(thrown)
        : thrown;
    if (error instanceof HubError) {
      failureLine(`sshub: ${error.message} [${error.code}]`);
      process.exit(ExitCode.Failed);
    }
    failureLine(
      `sshub: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(ExitCode.Failed);
  }
}

/** Calls `onSignal` once on the first Ctrl-C or SIGTERM; a second signal exits at once. */
export function onShutdownSignal(
  onSignal: (signal: NodeJS.Signals) => Promise<void>,
): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(ExitCode.Failed);
    stopping = true;
    onSignal(signal).then(
      () => process.exit(ExitCode.Ok),
      (error: unknown) => {
        failureLine(
          `sshub: could not stop cleanly: ${error instanceof Error ? error.message : String(error)}`,
        );
        process.exit(ExitCode.Failed);
      },
    );
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}

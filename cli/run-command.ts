import { isConnectionLoss } from "../db/connection-loss.js";
import { hubSessionOpen } from "./hub-session.js";
import { DatabaseUnavailableError, HubError } from "../errors/hub-error.js";

/** Exit codes of every sshub command. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;

/** Prints one line to stderr, the way every sshub message reads. */
export function logLine(line: string): void {
  process.stderr.write(`${line}\n`);
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
    logLine(
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
      logLine(`sshub: ${error.message} [${error.code}]`);
      process.exit(ExitCode.Failed);
    }
    logLine(
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
        logLine(
          `sshub: could not stop cleanly: ${error instanceof Error ? error.message : String(error)}`,
        );
        process.exit(ExitCode.Failed);
      },
    );
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}

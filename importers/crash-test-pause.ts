/**
 * A test hook, for the crash tests only (test/cli/import-crash.test.ts): with SSHUB_TEST_PAUSE_AT set
 * to one of these points, the import stops there (until SIGUSR2), after printing `sshub-test: paused at
 * <point>` on stderr, so that a test can kill -9 the process (or its database) at a known moment.
 * Unset, as always outside those tests, it costs one comparison.
 */
export type CrashTestPoint =
  /** Reading has passed 30% (or 70%) of the file's bytes, with figures written in the transaction. */
  | "30%"
  | "70%"
  /** Everything, the run's result and its audit event included, is written; COMMIT is next. */
  | "commit"
  /** The import's transaction has committed. */
  | "committed";

const pauseAt = process.env.SSHUB_TEST_PAUSE_AT;
/** A point pauses once: after SIGUSR2 the import goes on past it. */
let paused = false;
/** Ends the pause under way, if any. */
let resumePause: () => void = () => {};
// Listened to for the whole life of a paused-test process, not only during the pause: SIGUSR2 with
// no listener ends the process, which a test resuming an import would read as a crash of the hub.
if (pauseAt) process.on("SIGUSR2", () => resumePause());

/** Whether the crash tests asked to pause at a share of the file read (for the progress check). */
export function crashTestPauseFraction(): number | null {
  return pauseAt === "30%" ? 0.3 : pauseAt === "70%" ? 0.7 : null;
}

/**
 * When SSHUB_TEST_PAUSE_AT names this point, waits until the process gets SIGUSR2 (a test that has
 * killed the database meanwhile lets the import go on into it) or is killed; resolves at once
 * otherwise.
 */
export async function crashTestPause(point: CrashTestPoint): Promise<void> {
  if (pauseAt !== point || paused) return;
  paused = true;
  process.stderr.write(`sshub-test: paused at ${point}\n`);
  // The timer keeps the event loop (and so the process) alive while it waits.
  const timer = setInterval(() => undefined, 60_000);
  await new Promise<void>((resolve) => (resumePause = resolve));
  clearInterval(timer);
}

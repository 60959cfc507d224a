/**
 * A test hook, for the crash tests only (test/cli/import-crash.test.ts): with SSHUB_TEST_PAUSE_AT set
 * to one of these points, the import stops there for good, after printing `sshub-test: paused at
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

/** Whether the crash tests asked to pause at a share of the file read (for the progress check). */
export function crashTestPauseFraction(): number | null {
  return pauseAt === "30%" ? 0.3 : pauseAt === "70%" ? 0.7 : null;
}

/** Never resolves when SSHUB_TEST_PAUSE_AT names this point; resolves at once otherwise. */
export async function crashTestPause(point: CrashTestPoint): Promise<void> {
  if (pauseAt !== point) return;
  process.stderr.write(`sshub-test: paused at ${point}\n`);
  // A timer keeps the event loop (and so the process) alive until the test kills it.
  await new Promise<never>(() => setInterval(() => undefined, 60_000));
}

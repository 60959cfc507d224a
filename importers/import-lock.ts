import type { EntityManager } from "@mikro-orm/postgresql";
import { setTimeout as sleep } from "node:timers/promises";
import { DatabaseUnavailableError } from "../errors/hub-error.js";

/**
 * The transaction-scoped advisory lock every import's transaction takes first ("IW", 0). Imports
 * are serialised whole, not per partnership and period: an import loads every partnership, service
 * and the periods that already hold figures when its transaction starts and decides against that
 * picture (which services to create, which figures the monthly rule removes), so two imports that
 * overlap at all could each decide on a picture the other is changing.
 */
const IMPORT_LOCK = [0x4957, 0] as const;

/** How long an import waits for the one before it, by default: longer than a million-row import. */
export const IMPORT_LOCK_WAIT_MS = 15 * 60_000;

/**
 * Waits until no other import's transaction runs, then holds the lock until this transaction ends
 * (commit, rollback, or its session dying with its process). Polls rather than blocking in
 * PostgreSQL, so that a statement timeout never cuts the wait short; throws after `waitMs`, or
 * with the signal's reason once it is aborted.
 */
export async function takeImportLock(
  em: EntityManager,
  waitMs = IMPORT_LOCK_WAIT_MS,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    signal?.throwIfAborted();
    const [row] = await em.execute<{ locked: boolean }[]>(
      "select pg_try_advisory_xact_lock(?, ?) as locked",
      [...IMPORT_LOCK],
    );
    if (row?.locked) return;
    if (Date.now() > deadline)
      throw DatabaseUnavailableError.importBusy(Math.round(waitMs / 60_000));
    await sleep(50 + Math.random() * 100);
  }
}

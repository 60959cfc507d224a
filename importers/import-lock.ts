import type { EntityManager } from "@mikro-orm/postgresql";
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { DatabaseUnavailableError } from "../errors/hub-error.js";

/**
 * The transaction-scoped advisory locks of an import. Every import's transaction first takes the
 * directory lock ("IW", 0): shared while it only writes savings figures into partnerships and
 * services that exist, exclusive when it changes the directory itself (creates or updates a
 * partnership, member, service, governance body, agreement or award), because an import loads
 * every partnership and service when its transaction starts and decides against that picture
 * (which records to create, the near-duplicate warning). Imports sharing the directory lock then
 * take a lock per partnership and month (the monthly rule's source, whose submitter is only known
 * mid-sheet, so every submitter of one partnership and month shares it), or the month's lock when
 * the sheet's partnership is only known at its end; imports of different partnerships or months
 * run at once, and those of one partnership and month one after the other.
 */
const DIRECTORY = 0x4957;
/** Held by an import waiting for the exclusive directory lock: shared takers wait behind it. */
const DIRECTORY_GATE = 1;
/** (MONTH, hash of the month): exclusive for a sheet whose partnership is unknown, else shared. */
const MONTH = 0x4958;
/** (SOURCE, hash of partnership id and month): exclusive. */
const SOURCE = 0x4959;
/** (PROFILE, hash of the workbook's shape key): from the remembered answers' lookup to the commit. */
const PROFILE = 0x495a;

/** How long an import waits for the one before it, by default: longer than a million-row import. */
export const IMPORT_LOCK_WAIT_MS = 15 * 60_000;

/**
 * Thrown by an import holding the directory lock shared when it finds it must change the directory,
 * or when the lock it needs next is held by an import that may be waiting for one it holds: the pass
 * is rolled back and made again holding the directory lock exclusive (ImportLocks.take), reading on
 * from the same reader when the pass had taken nothing but headers (ReplayableWorkbookReader).
 */
export class NeedsExclusiveImportLock extends Error {
  constructor(reason: string) {
    super(`the import needs the exclusive import lock: ${reason}`);
  }
}

/** An int4 lock key for a text (collisions only make two imports wait for each other). */
function keyOf(text: string): number {
  return createHash("sha256").update(text).digest().readInt32BE(0);
}

/** The advisory locks one import's transaction holds (see the comment on DIRECTORY). */
export class ImportLocks {
  /** The one partnership-and-month (or month) lock held, if any (see source). */
  private sourceLock: string | null = null;
  private profileLock: string | null = null;

  private constructor(
    private readonly em: EntityManager,
    /** True when this import holds the directory lock exclusive: it needs no other lock. */
    readonly exclusive: boolean,
    private readonly dryRun: boolean,
    private readonly deadline: number,
    private readonly waitMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /**
   * Takes the directory lock (shared, or exclusive) for the transaction of em, holding it until
   * that transaction ends (commit, rollback, or its session dying with its process). Polls rather
   * than blocking in PostgreSQL, so that a statement timeout never cuts the wait short; throws after
   * `waitMs`, or with the signal's reason once it is aborted.
   */
  static async take(
    em: EntityManager,
    options: {
      exclusive: boolean;
      /** A dry run: it rolls back whatever it changes, so it may change the directory sharing the lock. */
      dryRun?: boolean;
      waitMs?: number;
      signal?: AbortSignal;
    },
  ): Promise<ImportLocks> {
    const waitMs = options.waitMs ?? IMPORT_LOCK_WAIT_MS;
    const locks = new ImportLocks(
      em,
      options.exclusive,
      options.dryRun ?? false,
      Date.now() + waitMs,
      waitMs,
      options.signal,
    );
    if (options.exclusive) {
      // The gate first: from then on no import takes the directory lock shared, and those holding
      // it finish; without it, imports taking turns in sharing it could keep this one out forever.
      await locks.poll("select pg_try_advisory_xact_lock(?, ?) as locked", [
        DIRECTORY,
        DIRECTORY_GATE,
      ]);
      await locks.poll("select pg_try_advisory_xact_lock(?, ?) as locked", [
        DIRECTORY,
        0,
      ]);
    } else
      await locks.poll(
        `select case when exists (select 1 from pg_locks where locktype = 'advisory' and granted
             and database = (select oid from pg_database where datname = current_database())
             and classid = ? and objid = ? and objsubid = 2)
           then false else pg_try_advisory_xact_lock_shared(?, 0) end as locked`,
        [DIRECTORY, DIRECTORY_GATE, DIRECTORY],
      );
    return locks;
  }

  /** Throws NeedsExclusiveImportLock unless this import may change the directory. */
  mayChangeDirectory(what: string): void {
    // A dry run's changes are never seen by another import, and none changes what it reads meanwhile.
    if (!this.exclusive && !this.dryRun)
      throw new NeedsExclusiveImportLock(what);
  }

  /**
   * Takes the lock of a partnership's figures for a month (null: a partnership not known before the
   * sheet's end, so the whole month's), before the import reads or writes any of them. An import
   * sharing the directory lock holds one such lock at most: a workbook with figures of several
   * partnerships or months is read again holding the directory lock exclusive, so that no two
   * imports ever wait for each other, and so that a month found without figures (written with
   * plain INSERTs) was looked at under the lock of every figure the import writes.
   */
  async source(partnershipId: number | null, period: string): Promise<void> {
    if (this.exclusive) return;
    const name =
      partnershipId === null
        ? `month ${period}`
        : `source ${partnershipId} ${period}`;
    if (this.sourceLock === name) return;
    if (this.sourceLock !== null)
      throw new NeedsExclusiveImportLock(
        "its figures are of more than one partnership or month",
      );
    this.sourceLock = name;
    if (partnershipId === null)
      await this.poll("select pg_try_advisory_xact_lock(?, ?) as locked", [
        MONTH,
        keyOf(period),
      ]);
    else {
      await this.poll(
        "select pg_try_advisory_xact_lock_shared(?, ?) as locked",
        [MONTH, keyOf(period)],
      );
      await this.poll("select pg_try_advisory_xact_lock(?, ?) as locked", [
        SOURCE,
        keyOf(`${partnershipId} ${period}`),
      ]);
    }
  }

  /**
   * Takes the lock of a workbook shape's remembered answers: shared to look them up, exclusive when
   * this import will save answers of its own. Always the last lock an import takes (after every
   * sheet was read), so waiting for it can never be part of a cycle.
   */
  async profile(shapeKey: string, saves: boolean): Promise<void> {
    if (this.exclusive || this.profileLock === shapeKey) return;
    await this.poll(
      `select ${saves ? "pg_try_advisory_xact_lock" : "pg_try_advisory_xact_lock_shared"}(?, ?) as locked`,
      [PROFILE, keyOf(shapeKey)],
    );
    this.profileLock = shapeKey;
  }

  private async poll(sql: string, params: unknown[]): Promise<void> {
    for (;;) {
      this.signal?.throwIfAborted();
      const [row] = await this.em.execute<{ locked: boolean }[]>(sql, params);
      if (row?.locked) return;
      if (Date.now() > this.deadline)
        throw DatabaseUnavailableError.importBusy(
          Math.round(this.waitMs / 60_000),
        );
      await sleep(50 + Math.random() * 100);
    }
  }
}

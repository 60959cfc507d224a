import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import {
  connectPostgres,
  type PostgresClient,
} from "../db/connect-postgres.js";
import { settleWithin } from "../db/settle-within.js";
import { ImportRun, ImportStatus } from "../schema/import-run.js";

/**
 * The first key of the session-level advisory lock that marks a run as alive ("IR"); the second
 * key is the run's id. PostgreSQL drops the lock when the session ends, so a run whose process
 * died (kill -9, a crash, a lost database) is one whose lock nobody holds.
 */
const LIVE_RUN_LOCK = 0x4952;

/** What an interrupted run says about itself. */
export const INTERRUPTED_REASON =
  "The process importing this file stopped before the import finished (it was killed, crashed or lost its database); nothing of this run was written: import the file again.";

/** The fields an import run starts with. */
export type ImportRunStart = Pick<
  ImportRun,
  "fileName" | "sha256" | "kind" | "reportingPeriod" | "runBy"
>;

/**
 * A RUNNING import run and the proof that its process is alive: a connection of its own holding
 * the run's advisory lock, taken before the run row is written (so that nobody ever sees the row
 * without the lock). The run's result is written by the import itself, in the transaction that
 * writes its figures; the lease only ends.
 */
export class ImportRunLease {
  private constructor(
    readonly run: ImportRun,
    private readonly client: PostgresClient,
  ) {}

  /** Writes a RUNNING run row (committed at once, so that a crash leaves it behind to be found). */
  static async take(
    orm: MikroORM,
    start: ImportRunStart,
  ): Promise<ImportRunLease> {
    const client = await connectPostgres(orm.config.get("clientUrl")!);
    try {
      const [row] = (
        await client.query<{ id: number }>(
          "select nextval(pg_get_serial_sequence('import_run', 'id'))::int as id",
        )
      ).rows;
      await client.query("select pg_advisory_lock($1, $2)", [
        LIVE_RUN_LOCK,
        row!.id,
      ]);
      const em = orm.em.fork();
      const run = em.create(ImportRun, { id: row!.id, ...start });
      await em.flush();
      return new ImportRunLease(run, client);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Marks the run INTERRUPTED with `reason` when it is still RUNNING (its import failed in a way
   * that wrote nothing); quietly does nothing when the database is gone (the next command finds it).
   */
  async interrupt(reason: string): Promise<void> {
    await settleWithin(
      this.client.query(
        `update import_run set status = $1, reason = $2, finished_at = now()
          where id = $3 and status = $4`,
        [ImportStatus.INTERRUPTED, reason, this.run.id, ImportStatus.RUNNING],
      ),
    );
  }

  /** Ends the lease (closing its session drops the lock). */
  async release(): Promise<void> {
    await settleWithin(this.client.end());
  }
}

/**
 * Marks INTERRUPTED every RUNNING run whose lock nobody holds (its process died), skipping those a
 * transaction still has locked (a dying import finishing its last statement: the next call gets
 * them). Returns their ids. Runs at every command's start and before each import.
 */
export async function markInterruptedRuns(
  em: EntityManager,
): Promise<number[]> {
  const rows = await em.execute<{ id: number }[]>(
    `update import_run set status = ?, reason = ?, finished_at = now()
      where id in (
        select r.id from import_run r
         where r.status = ?
           and not exists (
             select 1 from pg_locks l
              where l.locktype = 'advisory'
                and l.database = (select oid from pg_database where datname = current_database())
                and l.classid = ?::int::oid and l.objid = r.id::oid and l.objsubid = 2)
         for update skip locked)
      returning id`,
    [
      ImportStatus.INTERRUPTED,
      INTERRUPTED_REASON,
      ImportStatus.RUNNING,
      LIVE_RUN_LOCK,
    ],
  );
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

import type { MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { PgBoss, type Job, type JobWithMetadata } from "pg-boss";
import { followClusterPort } from "../db/cluster-port.js";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  connectPostgres,
  type PostgresClient,
} from "../db/connect-postgres.js";
import { ormStatementTimeoutMs } from "../db/orm-config.js";
import { settleWithin } from "../db/settle-within.js";
import { QueueFullError, UploadsBusyError } from "../errors/hub-error.js";
import { watchImportJobs } from "../observability/job-metrics.js";
import { silentLogger, type Logger } from "../observability/logger.js";
import { ImportJob, type QueuedImportOptions } from "../schema/import-job.js";
import type { Caller } from "../server/caller.js";
import { JOB_QUEUE_SCHEMA } from "./job-queue-schema.js";
import { jobSettingsFromEnv, type JobSettings } from "./job-settings.js";
import { failImportJob, runImportJob } from "./run-import-job.js";
import { UploadChunkWriter } from "./upload-chunks.js";

/** The pg-boss queue of uploads to import. */
export const IMPORT_QUEUE = "import";
/** Where pg-boss moves an import job that failed its last retry, so that a worker records why. */
export const FAILED_IMPORT_QUEUE = "import-failed";

/** What the queue's pg-boss jobs carry: only the id; the row in `import_job` holds the rest. */
export interface ImportJobData {
  importJobId: string;
}

/** An upload to queue. */
export interface UploadToQueue {
  bytes: Buffer;
  fileName: string;
  options: QueuedImportOptions;
  caller: Caller;
}

/**
 * The import queue on the hub's own database: pg-boss schedules the jobs (a place in line, a lease
 * kept alive by heartbeats, retries, a dead-letter queue), and `import_job` keeps the uploaded bytes,
 * the state and the report. Every instance opens one to queue uploads; `work()` makes it a worker too.
 * pg-boss's tables come from the hub's migrations, so it starts with `migrate: false`.
 */
export class ImportQueue {
  private working = false;
  private unwatch = () => {};
  /** The jobs this process is importing, by id. */
  private readonly running = new Map<string, Promise<unknown>>();
  /** Uploads this process is receiving now (each holds a connection of its own, see receive). */
  private receiving = 0;

  private constructor(
    private readonly boss: PgBoss,
    private readonly orm: MikroORM,
    readonly settings: JobSettings,
    private readonly log: (line: string) => void,
    private readonly logger: Logger,
  ) {}

  /** Connects to the queue in the ORM's database (already migrated) and makes sure both queues exist. */
  static async open(
    orm: MikroORM,
    options: {
      log: (line: string) => void;
      /** Where each job's lines go, with its jobId (and rows when it ends); default nowhere. */
      logger?: Logger;
      settings?: JobSettings;
    },
  ): Promise<ImportQueue> {
    const settings = options.settings ?? jobSettingsFromEnv();
    const boss = new PgBoss({
      connectionString: orm.config.get("clientUrl")!,
      schema: JOB_QUEUE_SCHEMA,
      application_name: "sshub-jobs",
      max: 2 + settings.concurrency,
      migrate: false,
      createSchema: false,
      schedule: false,
      supervise: true,
      superviseIntervalSeconds: settings.superviseSeconds,
      monitorIntervalSeconds: settings.superviseSeconds,
      useListenNotify: true,
      registerInstance: false,
      openTelemetry: { enabled: false },
    });
    // pg-boss reports its own trouble (a lost connection it will retry) as events; one line each.
    boss.on("error", (error) =>
      options.log(`sshub: job queue: ${error.message}`),
    );
    await boss.start();
    // pg-boss's pool follows the embedded cluster to a new port with the ORM's (db/cluster-port.ts).
    const bossDb = boss.getDb() as {
      pool?: Parameters<typeof followClusterPort>[0];
    };
    if (bossDb.pool) followClusterPort(bossDb.pool);
    const queue = new ImportQueue(
      boss,
      orm,
      settings,
      options.log,
      options.logger ?? silentLogger,
    );
    queue.unwatch = watchImportJobs(async () =>
      (
        await orm.em
          .fork()
          .execute<{ state: string; count: string }[]>(
            "select state, count(*) as count from import_job group by state",
          )
      ).map((row) => ({ state: row.state, count: Number(row.count) })),
    );
    try {
      await queue.ensureQueues();
    } catch (error) {
      await boss.stop({ graceful: false, close: true }).catch(() => undefined);
      throw error;
    }
    return queue;
  }

  private async ensureQueues(): Promise<void> {
    const options = {
      retryLimit: this.settings.retryLimit,
      heartbeatSeconds: this.settings.heartbeatSeconds,
      // The longest one attempt may hold a job whatever its heartbeats say: a million-row import
      // takes minutes.
      expireInSeconds: 3600,
      deadLetter: FAILED_IMPORT_QUEUE,
      notify: true,
    };
    for (const [name, queueOptions] of [
      [FAILED_IMPORT_QUEUE, { notify: true }],
      [IMPORT_QUEUE, options],
    ] as const) {
      if (await this.boss.getQueue(name))
        await this.boss.updateQueue(name, queueOptions);
      else
        await this.boss
          .createQueue(name, queueOptions)
          .catch(async (error: unknown) => {
            // Another instance created it at the same moment.
            if (!(await this.boss.getQueue(name))) throw error;
          });
    }
  }

  /**
   * Opens the transaction in which an upload is stored while it arrives: write its bytes to the
   * answer's `writer`, then `queue()` it (its row and its place in line, committed with the bytes)
   * or `abandon()` it (nothing stays). Refuses with QUEUE_FULL at once when `leastBytes`, the least
   * the upload can be (from its Content-Length), would already pass the caller's limit; `queue()`
   * checks the real size.
   */
  async receive(caller: Caller, leastBytes = 0): Promise<ReceivingUpload> {
    // A connection of its own: pg-boss's small pool is left to its workers and heartbeats, which a
    // burst of uploads waiting on one another must not starve.
    // Bounded, so that slow uploads cannot use up PostgreSQL's connections (and with them the hub's).
    if (this.receiving >= this.settings.maxReceivingUploads)
      throw UploadsBusyError.receiving(this.settings.maxReceivingUploads, 5);
    this.receiving++;
    let client: PostgresClient | undefined;
    try {
      // The statement timeout of the hub's other connections: a statement stuck behind a lock (the
      // queued-bytes lock, pg-boss's tables) is cancelled, not left holding this connection.
      const statementTimeoutMs = ormStatementTimeoutMs(this.orm);
      client = await connectPostgres(this.orm.config.get("clientUrl")!, {
        ...(statementTimeoutMs ? { statementTimeoutMs } : {}),
      });
      if (leastBytes > 0) await this.assertRoom(client, caller, leastBytes);
      await client.query("begin");
    } catch (error) {
      this.receiving--;
      await client?.end().catch(() => undefined);
      throw error;
    }
    const opened = client;
    return new ReceivingUpload(
      opened,
      caller,
      (upload) => this.commitUpload(opened, upload),
      () => void this.receiving--,
    );
  }

  /** Throws QUEUE_FULL when `bytes` more would pass the caller's waiting and running uploads' limit. */
  private async assertRoom(
    client: PostgresClient,
    caller: Caller,
    bytes: number,
  ): Promise<void> {
    const [queued] = (
      await client.query<{ bytes: string }>(
        `select coalesce(sum(size_bytes), 0)::bigint as bytes from import_job
          where queued_by = $1 and state in ('QUEUED', 'RUNNING')`,
        [caller.name],
      )
    ).rows;
    const queuedBytes = Number(queued!.bytes);
    const limit = this.settings.maxQueuedBytesPerToken;
    if (queuedBytes + bytes > limit)
      throw QueueFullError.bytesPerToken(
        caller.name,
        queuedBytes,
        bytes,
        limit,
      );
  }

  /** The end of `receive`: the job's row and its pg-boss job, in the transaction that holds its bytes. */
  private async commitUpload(
    client: PostgresClient,
    upload: {
      writer: UploadChunkWriter;
      fileName: string;
      options: QueuedImportOptions;
      caller: Caller;
    },
  ): Promise<string> {
    const { writer, caller } = upload;
    const id = writer.jobId;
    // One token's uploads are counted one at a time, so two at once cannot both pass the limit.
    await client.query(
      "select pg_advisory_xact_lock(hashtextextended('sshub-queued-bytes:' || $1, 0))",
      [caller.name],
    );
    await this.assertRoom(client, caller, writer.size);
    await client.query(
      `insert into import_job (id, state, file_name, sha256, size_bytes, options, queued_by, queued_by_role, queued_at)
       values ($1, 'QUEUED', $2, $3, $4, $5, $6, $7, now())`,
      [
        id,
        upload.fileName,
        writer.sha256(),
        writer.size,
        JSON.stringify(upload.options),
        caller.name,
        caller.role,
      ],
    );
    const db = {
      executeSql: (text: string, values?: unknown[]) =>
        client.query(text, values),
    };
    await this.boss.send(
      IMPORT_QUEUE,
      { importJobId: id } satisfies ImportJobData,
      { id, db },
    );
    await client.query("commit");
    return id;
  }

  /** Stores an upload held whole in memory (`sshub import --queue`) and queues it, as `receive` does. */
  async enqueue(upload: UploadToQueue): Promise<ImportJob> {
    const receiving = await this.receive(upload.caller, upload.bytes.length);
    try {
      await pipeline(Readable.from([upload.bytes]), receiving.writer);
      return await this.job(
        await receiving.queue(upload.fileName, upload.options),
      );
    } finally {
      await receiving.abandon();
    }
  }

  /** The job `id`, as its row now is. */
  async job(id: string): Promise<ImportJob> {
    return (await this.orm.em.fork().findOne(ImportJob, { id }))!;
  }

  /** Starts taking jobs in this process (SSHUB_WORKER_CONCURRENCY at once). */
  async work(): Promise<void> {
    this.working = true;
    const worker = `${hostname()}:${process.pid}`;
    await this.boss.work(
      IMPORT_QUEUE,
      {
        localConcurrency: this.settings.concurrency,
        includeMetadata: true,
        pollingIntervalSeconds: 2,
        // NOTIFY wakes a worker for a new job; this is only the backstop (see wakeWorkers for the rest).
        notifyPollingIntervalSeconds: 10,
      },
      async (jobs: JobWithMetadata<ImportJobData>[]) => {
        try {
          for (const job of jobs)
            await this.track(job.data.importJobId, this.runOne(job, worker));
        } finally {
          // Wakes the next fetch, and after a last failure the dead-letter worker too.
          setImmediate(() => this.wakeWorkers());
        }
      },
    );
    await this.boss.work(
      FAILED_IMPORT_QUEUE,
      // A job moved here gives no NOTIFY: this polling is what records a failure.
      {
        includeMetadata: true,
        pollingIntervalSeconds: 2,
        notifyPollingIntervalSeconds: 2,
      },
      async (jobs: JobWithMetadata<ImportJobData>[]) => {
        for (const job of jobs)
          await failImportJob(
            this.orm,
            job.data.importJobId,
            this.settings.retryLimit + 1,
            failureMessage(job.sourceOutput),
          );
      },
    );
  }

  private async runOne(
    job: Job<ImportJobData> & { retryCount: number },
    worker: string,
  ): Promise<void> {
    await runImportJob(this.orm, {
      id: job.data.importJobId,
      attempt: job.retryCount + 1,
      worker,
      signal: job.signal,
      logger: this.logger.child({ jobId: job.data.importJobId }),
    });
  }

  /**
   * pg-boss waits out its polling interval after every job, and NOTIFY only announces new ones: a
   * backlog would drain one job per interval. A worker that has just finished asks again at once.
   */
  private wakeWorkers(): void {
    for (const worker of this.boss.getWipData())
      this.boss.notifyWorker(worker.id);
  }

  private async track(id: string, work: Promise<unknown>): Promise<void> {
    this.running.set(id, work);
    try {
      await work;
    } finally {
      this.running.delete(id);
    }
  }

  /** Whether this process takes jobs. */
  get isWorker(): boolean {
    return this.working;
  }

  /**
   * Stops taking jobs, gives a running import `stopTimeoutMs` to finish, then hands it back to the
   * queue (pg-boss fails its attempt, so another worker retries it) and closes the queue's
   * connections. Resolves true when every import has settled; false when one is still under way
   * after a further grace (a statement that does not end): its job is back in line, and the caller
   * exits, which ends its transaction with nothing written.
   */
  async stop(): Promise<boolean> {
    this.unwatch();
    const bound = (ms: number) =>
      new Promise<false>((resolve) =>
        setTimeout(() => resolve(false), ms).unref(),
      );
    const stopped = new Promise<void>((resolve) =>
      this.boss.once("stopped", () => resolve()),
    );
    const shutdown = this.boss
      .stop({
        graceful: true,
        close: true,
        timeout: this.settings.stopTimeoutMs,
      })
      .then(() => stopped);
    // An aborted import stops at its next read; its rollback is given a few seconds more.
    const grace = this.settings.stopTimeoutMs + HAND_BACK_GRACE_MS;
    const settled = await Promise.race([
      Promise.all([
        shutdown,
        Promise.allSettled([...this.running.values()]),
      ]).then(() => true),
      bound(grace),
    ]);
    if (settled) return true;
    const ids = [...this.running.keys()];
    if (ids.length) {
      this.log(
        `sshub: handing back import job(s) ${ids.join(", ")}: still running ${grace} ms after the stop; nothing of them is written, and another worker retries them.`,
      );
      await settleWithin(
        this.orm.em
          .fork()
          .execute(
            `update import_job set state = 'QUEUED', reason = ? where id in (${ids.map(() => "?").join(", ")}) and state = 'RUNNING'`,
            [
              "Handed back: its worker was stopped (SIGTERM) before it finished.",
              ...ids,
            ],
          ),
      );
    }
    return ids.length === 0;
  }
}

/**
 * An upload being stored by `ImportQueue.receive`: its bytes go to `writer` as they arrive, in an
 * open transaction that `queue()` commits with the job, or `abandon()` rolls back.
 */
export class ReceivingUpload {
  /** Where the upload's bytes are written (pipe the file into it). */
  readonly writer: UploadChunkWriter;
  private ended = false;

  constructor(
    private readonly client: PostgresClient,
    private readonly caller: Caller,
    private readonly commit: (upload: {
      writer: UploadChunkWriter;
      fileName: string;
      options: QueuedImportOptions;
      caller: Caller;
    }) => Promise<string>,
    /** Told once, when the upload is queued or abandoned (its connection closed). */
    private readonly onEnd: () => void = () => {},
  ) {
    this.writer = new UploadChunkWriter(client, randomUUID());
  }

  /**
   * Queues the upload once every byte is written: QUEUE_FULL when its size passes the caller's
   * limit (nothing stays). Answers the job's id.
   */
  async queue(fileName: string, options: QueuedImportOptions): Promise<string> {
    if (this.ended)
      throw new Error("this upload was already queued or abandoned");
    try {
      const id = await this.commit({
        writer: this.writer,
        fileName,
        options,
        caller: this.caller,
      });
      this.ended = true;
      await this.client.end().catch(() => undefined);
      this.onEnd();
      return id;
    } catch (error) {
      await this.abandon();
      throw error;
    }
  }

  /** Drops what was written (nothing of the upload stays) and closes its connection; once queued, does nothing. */
  async abandon(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (!this.writer.destroyed) this.writer.destroy();
    await this.client.query("rollback").catch(() => undefined);
    await this.client.end().catch(() => undefined);
    this.onEnd();
  }
}

/** How long, past `stopTimeoutMs`, a stopping worker waits for a handed-back import to roll back. */
const HAND_BACK_GRACE_MS = 3_000;

/** The reason pg-boss stored for a failed attempt, as one line. */
function failureMessage(output: unknown): string {
  if (output && typeof output === "object") {
    const message = (output as { message?: unknown }).message;
    if (typeof message === "string") return message.split("\n")[0]!;
    return JSON.stringify(output);
  }
  return output === null || output === undefined
    ? "no reason recorded"
    : String(output);
}

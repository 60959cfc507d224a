import type { EntityManager } from "@mikro-orm/postgresql";
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { Writable } from "node:stream";
import type { PostgresClient } from "../db/connect-postgres.js";

/**
 * The size of one stored chunk of an upload: a 100 MB upload is a hundred inserts, and a worker
 * reading it back holds only `CHUNKS_READ_AT_ONCE` of them at a time.
 */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;

/** How many chunks a worker reads per statement. */
const CHUNKS_READ_AT_ONCE = 4;

/**
 * Writes an upload into `import_job_chunk` while it arrives, on a client whose transaction is open:
 * the caller commits it together with the job's row (or rolls it back, leaving nothing), so the
 * chunks of a job exist exactly when the job does. The size and sha256 are computed on the way.
 * While one chunk's insert is under way the next one fills the stream's buffer; past that, the
 * stream's backpressure holds the upload.
 */
export class UploadChunkWriter extends Writable {
  private readonly hash = createHash("sha256");
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private chunks = 0;
  private digest: string | undefined;
  /** Bytes written so far. */
  size = 0;

  constructor(
    private readonly client: PostgresClient,
    /** The job the chunks belong to. */
    readonly jobId: string,
  ) {
    super({ highWaterMark: UPLOAD_CHUNK_BYTES });
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < UPLOAD_CHUNK_BYTES) return callback();
    this.insertPending(false).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.insertPending(true).then(() => callback(), callback);
  }

  /** Inserts what is pending in chunks of UPLOAD_CHUNK_BYTES, and the rest too when `all`. */
  private async insertPending(all: boolean): Promise<void> {
    let pending = Buffer.concat(this.pending, this.pendingBytes);
    while (
      pending.length >= UPLOAD_CHUNK_BYTES ||
      (all && pending.length > 0)
    ) {
      const bytes = pending.subarray(0, UPLOAD_CHUNK_BYTES);
      pending = pending.subarray(bytes.length);
      await this.client.query(
        "insert into import_job_chunk (job_id, seq, bytes) values ($1, $2, $3)",
        [this.jobId, this.chunks++, bytes],
      );
    }
    this.pending = pending.length > 0 ? [pending] : [];
    this.pendingBytes = pending.length;
  }

  /** The sha256 of every byte written, hex (once the stream has finished). */
  sha256(): string {
    return (this.digest ??= this.hash.digest("hex"));
  }
}

/**
 * Writes a job's stored chunks, in order, to the file `path`, a few chunks per statement, and checks
 * them against the job's size and sha256: a worker never holds the whole upload in memory.
 * Throws when they are missing or do not match.
 */
export async function writeUploadToFile(
  em: EntityManager,
  job: { id: string; sha256: string; sizeBytes: number },
  path: string,
): Promise<void> {
  const hash = createHash("sha256");
  let size = 0;
  const file = await open(path, "w");
  try {
    for (let next = 0; ;) {
      const rows = await em.execute<{ seq: number; bytes: Buffer }[]>(
        `select seq, bytes from import_job_chunk where job_id = ? and seq >= ? order by seq limit ${CHUNKS_READ_AT_ONCE}`,
        [job.id, next],
      );
      for (const row of rows) {
        hash.update(row.bytes);
        size += row.bytes.length;
        await file.write(row.bytes);
        next = row.seq + 1;
      }
      if (rows.length < CHUNKS_READ_AT_ONCE) break;
    }
  } finally {
    await file.close();
  }
  if (size !== job.sizeBytes || hash.digest("hex") !== job.sha256)
    throw new Error(
      `import job ${job.id}: its stored bytes are missing or do not match their size and sha256`,
    );
}

/**
 * Makes `update import_job … where …` (no `returning`) a statement that also deletes the chunks of
 * the jobs it updates, and answers their ids: a job that ends loses its bytes in the same statement,
 * whichever path ends it (a worker, a cancel, the dead-letter worker).
 */
export function deletingChunksOfUpdated(updateSql: string): string {
  return `with updated as (${updateSql} returning id),
  deleted as (delete from import_job_chunk where job_id in (select id from updated))
  select id from updated`;
}

import { ConfigurationError } from "../errors/hub-error.js";

/** How import jobs are queued, leased and stopped (each from an SSHUB_ variable). */
export interface JobSettings {
  /** A running job's lease: a worker that sends no heartbeat for this long has died, and its job is retried (SSHUB_JOB_HEARTBEAT_SECONDS, at least 10). */
  heartbeatSeconds: number;
  /** How often each instance looks for lapsed leases (SSHUB_JOB_SUPERVISE_SECONDS). */
  superviseSeconds: number;
  /** Retries after the first attempt before a job is failed. */
  retryLimit: number;
  /** How long SIGTERM waits for a running import before handing it back to the queue (SSHUB_WORKER_STOP_TIMEOUT_MS). */
  stopTimeoutMs: number;
  /** Bytes one token may have waiting or running at once (SSHUB_MAX_QUEUED_BYTES_PER_TOKEN). */
  maxQueuedBytesPerToken: number;
  /** Imports one worker process runs at once (SSHUB_WORKER_CONCURRENCY). */
  concurrency: number;
  /** Uploads one instance receives at once, each holding a PostgreSQL connection until its last byte (SSHUB_MAX_RECEIVING_UPLOADS); past it 503 with Retry-After. */
  maxReceivingUploads: number;
  /** How long one upload may take to arrive before it is refused and its connection freed (SSHUB_UPLOAD_RECEIVE_TIMEOUT_MS). */
  receiveTimeoutMs: number;
}

/** The settings when no variable is set. */
export const DEFAULT_JOB_SETTINGS: JobSettings = {
  heartbeatSeconds: 30,
  superviseSeconds: 10,
  retryLimit: 3,
  stopTimeoutMs: 30_000,
  maxQueuedBytesPerToken: 500 * 1024 * 1024,
  concurrency: 1,
  maxReceivingUploads: 20,
  receiveTimeoutMs: 120_000,
};

/** Reads the job settings from the environment; a value that is not a whole number in range is a configuration error. */
export function jobSettingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): JobSettings {
  const read = (name: string, fallback: number, unit: string, min: number) => {
    const text = env[name]?.trim();
    if (!text) return fallback;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min)
      throw ConfigurationError.notWholeNumber(name, text, unit, min);
    return value;
  };
  return {
    heartbeatSeconds: read(
      "SSHUB_JOB_HEARTBEAT_SECONDS",
      DEFAULT_JOB_SETTINGS.heartbeatSeconds,
      "seconds",
      10,
    ),
    superviseSeconds: read(
      "SSHUB_JOB_SUPERVISE_SECONDS",
      DEFAULT_JOB_SETTINGS.superviseSeconds,
      "seconds",
      1,
    ),
    retryLimit: DEFAULT_JOB_SETTINGS.retryLimit,
    stopTimeoutMs: read(
      "SSHUB_WORKER_STOP_TIMEOUT_MS",
      DEFAULT_JOB_SETTINGS.stopTimeoutMs,
      "milliseconds",
      1,
    ),
    maxQueuedBytesPerToken: read(
      "SSHUB_MAX_QUEUED_BYTES_PER_TOKEN",
      DEFAULT_JOB_SETTINGS.maxQueuedBytesPerToken,
      "bytes",
      1,
    ),
    concurrency: read(
      "SSHUB_WORKER_CONCURRENCY",
      DEFAULT_JOB_SETTINGS.concurrency,
      "imports",
      1,
    ),
    maxReceivingUploads: read(
      "SSHUB_MAX_RECEIVING_UPLOADS",
      DEFAULT_JOB_SETTINGS.maxReceivingUploads,
      "uploads",
      1,
    ),
    receiveTimeoutMs: read(
      "SSHUB_UPLOAD_RECEIVE_TIMEOUT_MS",
      DEFAULT_JOB_SETTINGS.receiveTimeoutMs,
      "milliseconds",
      1,
    ),
  };
}

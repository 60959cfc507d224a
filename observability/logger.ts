import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";
import { ConfigurationError } from "../errors/hub-error.js";

/**
 * The hub's structured logger (pino). Every line is one JSON object with `time` (ISO 8601), `level`
 * (a word), `msg`, `pid` and `hostname`, plus the fields of what it is about, always under these names:
 * `requestId`, `token` (the token's name, never its secret), `operation`, `durationMs`, `status`,
 * `jobId`, `rows`. Make a child for one request or job: `logger.child({ jobId })`.
 */
export type Logger = PinoLogger;

/** How lines are written: one JSON object a line (for collectors), or a short readable line (for a person). */
export type LogFormat = "json" | "pretty";

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

// Field names whose values must never reach a log line, wherever a caller puts them.
const SECRETS = [
  "authorization",
  "headers.authorization",
  "req.headers.authorization",
  "secret",
  "password",
];

/** Options of `createLogger`; by default from the environment (see `logOptionsFromEnv`). */
export interface LoggerOptions {
  format?: LogFormat;
  /** A pino level name: fatal, error, warn, info (default), debug, trace or silent. */
  level?: string;
  /** Where lines go; default stderr, written synchronously so a line logged just before exit is not lost. */
  destination?: DestinationStream;
}

/**
 * The logging settings from `SSHUB_LOG_FORMAT` (json or pretty; default pretty when stderr is a
 * terminal, else json) and `SSHUB_LOG_LEVEL` (default info).
 */
export function logOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  terminal: boolean = process.stderr.isTTY === true,
): { format: LogFormat; level: string } {
  const format = env.SSHUB_LOG_FORMAT?.trim() || (terminal ? "pretty" : "json");
  if (format !== "json" && format !== "pretty")
    throw new ConfigurationError(
      `SSHUB_LOG_FORMAT must be json or pretty; it was "${format}".`,
    );
  const level = env.SSHUB_LOG_LEVEL?.trim() || "info";
  if (!LEVELS.includes(level))
    throw new ConfigurationError(
      `SSHUB_LOG_LEVEL must be one of ${LEVELS.join(", ")}; it was "${level}".`,
    );
  return { format, level };
}

// Fields shown first (in this order) on a readable line; the rest follow as key=value.
const SHOWN_FIRST = ["requestId", "jobId", "token", "operation"];
const LEFT_OUT = new Set(["time", "level", "msg", "pid", "hostname"]);

/** Turns one JSON log line into the readable form: `12:04:05.120 INFO  msg requestId=… status=200`. */
export function formatLogLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith("\n") ? json : `${json}\n`;
  }
  const time = typeof record.time === "string" ? record.time.slice(11, 23) : "";
  const level = String(record.level ?? "").toUpperCase();
  const keys = [
    ...SHOWN_FIRST.filter((key) => key in record),
    ...Object.keys(record).filter(
      (key) => !LEFT_OUT.has(key) && !SHOWN_FIRST.includes(key),
    ),
  ];
  const fields = keys.map((key) => {
    const value = record[key];
    if (key === "err" && value && typeof value === "object") {
      const err = value as { stack?: string; message?: string };
      return `\n${err.stack ?? err.message ?? JSON.stringify(value)}`;
    }
    return `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`;
  });
  return `${[time, level.padEnd(5), String(record.msg ?? ""), ...fields].join(" ")}\n`;
}

/** A destination writing the readable form of each line to `out`. */
function prettyDestination(out: DestinationStream): DestinationStream {
  return { write: (line: string) => out.write(formatLogLine(line)) };
}

let contextFields: () => Record<string, unknown> | undefined = () => undefined;

/**
 * Says where the fields of the work under way come from (the HTTP request's id and token: see
 * server/request-scope.ts), so that every line logged while it runs carries them, error lines too,
 * without each caller passing them. A line's own fields win over them.
 */
export function setLogContextSource(
  source: () => Record<string, unknown> | undefined,
): void {
  contextFields = source;
}

/** Makes a logger; the defaults come from the environment and write to stderr. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const fromEnv =
    options.format && options.level ? undefined : logOptionsFromEnv();
  const format = options.format ?? fromEnv!.format;
  const level = options.level ?? fromEnv!.level;
  const out = options.destination ?? pino.destination({ dest: 2, sync: true });
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRETS, censor: "[redacted]" },
      mixin: () => contextFields() ?? {},
    },
    format === "pretty" ? prettyDestination(out) : out,
  );
}

/** A logger that writes nothing, for tests and library callers that do not care. */
export const silentLogger: Logger = pino({ level: "silent" });

let processLogger: Logger | undefined;

/** The process's logger (made on first use from the environment); the CLI's server commands log through it. */
export function hubLogger(): Logger {
  processLogger ??= createLogger();
  return processLogger;
}

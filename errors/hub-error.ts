/**
 * Every error code a client of the hub can see, in one place. GraphQL answers carry them in
 * `extensions.code`; the CLI prints them beside the message.
 */
export enum ErrorCode {
  NotFound = "NOT_FOUND",
  BadUserInput = "BAD_USER_INPUT",
  Forbidden = "FORBIDDEN",
  Unauthenticated = "UNAUTHENTICATED",
  DatabaseUnavailable = "DATABASE_UNAVAILABLE",
  ConfigurationError = "CONFIGURATION_ERROR",
  /** Too many requests (or failed authentications) from one token or address: HTTP 429. */
  RateLimited = "RATE_LIMITED",
  /** A request body or upload over the hub's size limit: HTTP 413. */
  TooLarge = "TOO_LARGE",
  /** A GraphQL operation nested deeper than SSHUB_MAX_QUERY_DEPTH. */
  QueryTooDeep = "QUERY_TOO_DEEP",
  /** A GraphQL operation whose estimated cost is over SSHUB_MAX_QUERY_COST. */
  QueryTooCostly = "QUERY_TOO_COSTLY",
  /** A statement or a request ran longer than the hub allows (SSHUB_STATEMENT_TIMEOUT_MS, SSHUB_REQUEST_TIMEOUT_MS). */
  TimedOut = "TIMED_OUT",
  /** A token has more upload bytes waiting in the import queue than SSHUB_MAX_QUEUED_BYTES_PER_TOKEN allows: HTTP 429. */
  QueueFull = "QUEUE_FULL",
  /** This instance is receiving as many uploads as SSHUB_MAX_RECEIVING_UPLOADS allows: HTTP 503 with Retry-After. */
  UploadsBusy = "UPLOADS_BUSY",
  /** PostgreSQL refused a statement for a reason of its own (a deadlock, a lock, a grant, a trigger), not the input's. */
  DatabaseFault = "DATABASE_FAULT",
}

/** The one base class for errors a user caused or can fix: it carries a stable code. */
export class HubError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Something asked for by id or code does not exist (or is not visible to the caller). */
export class NotFoundError extends HubError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.NotFound, message, details);
  }

  /** No council has this GSS code. */
  static councilCode(code: string): NotFoundError {
    return new NotFoundError(`No council has the code "${code}".`, { code });
  }

  /** No object of this kind has this id. */
  static entity(kind: string, id: string): NotFoundError {
    return new NotFoundError(`No ${kind} has the id "${id}".`, { kind, id });
  }
}

/** An argument or input value the caller can correct. */
export class BadInputError extends HubError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.BadUserInput, message, details);
  }
}

/** The environment is set up in a way the hub cannot work with (paths, ports, permissions). */
export class ConfigurationError extends HubError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.ConfigurationError, message, details);
  }

  /** A setting that must be a whole number (of `unit`, at least `min`) is something else. */
  static notWholeNumber(
    name: string,
    text: string | undefined,
    unit: string,
    min: number,
  ): ConfigurationError {
    return new ConfigurationError(
      `${name} must be a whole number of ${unit}${min > 0 ? ` above ${min - 1}` : " (0: off)"}; it is "${text}".`,
      { [name]: text },
    );
  }

  /** The port is taken by another program. */
  static portInUse(port: number, variable: string): ConfigurationError {
    return new ConfigurationError(
      `Port ${port} is already in use: stop the program using it, or set ${variable} to a free port.`,
      { port },
    );
  }

  /** The data folder cannot be created or written by the runner. */
  static dataDirUnwritable(
    dataDir: string,
    reason: string,
  ): ConfigurationError {
    return new ConfigurationError(
      `The data folder ${dataDir} is not writable (${reason}): set SSHUB_DATA_DIR to a writable folder.`,
      { dataDir, reason },
    );
  }

  /** The data folder sits where the `postgres` OS user (which PostgreSQL runs as under root) cannot enter. */
  static dataDirUnreachable(
    dataDir: string,
    blockedAt: string,
  ): ConfigurationError {
    return new ConfigurationError(
      `The data folder ${dataDir} is not reachable by the postgres OS user (PostgreSQL refuses to run as root, and ${blockedAt} is closed to it): set SSHUB_DATA_DIR to a writable folder it can reach, e.g. /var/lib/sshub.`,
      { dataDir, blockedAt },
    );
  }
}

/** A statement or a request ran longer than the hub allows, and was cancelled. */
export class TimedOutError extends HubError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.TimedOut, message, details);
  }

  /** PostgreSQL cancelled a statement of a request (statement_timeout): the request asked for too much at once. */
  static statement(): TimedOutError {
    return new TimedOutError(
      "A database statement ran longer than the hub allows (SSHUB_STATEMENT_TIMEOUT_MS) and was cancelled: ask for less (smaller pages, fewer fields or aliases).",
    );
  }

  /** PostgreSQL cancelled one of an import's statements (statement_timeout); nothing of it was written. */
  static statementDuringImport(file: string): TimedOutError {
    return new TimedOutError(
      `A database statement of the import of ${file} ran longer than the hub allows (SSHUB_STATEMENT_TIMEOUT_MS) and was cancelled: nothing of it was written. The file itself may be sound; import it again, and raise SSHUB_STATEMENT_TIMEOUT_MS if it happens again.`,
      { file },
    );
  }
}

/** The database could not be reached or started. */
export class DatabaseUnavailableError extends HubError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.DatabaseUnavailable, message, details);
  }

  /**
   * A request found PostgreSQL unreachable (stopped, restarting, or the connection cut). The reason,
   * which names the database's host, goes to the log, not to the caller.
   */
  static unreachable(retryAfterSeconds: number): DatabaseUnavailableError {
    return new DatabaseUnavailableError(
      `The hub cannot reach its database just now: try again in ${retryAfterSeconds} s.`,
      { retryAfterSeconds },
    );
  }

  /** The connection to PostgreSQL was lost (the server stopped, crashed or was killed). */
  static connectionLost(error: unknown): DatabaseUnavailableError {
    const reason = error instanceof Error ? error.message : String(error);
    return new DatabaseUnavailableError(
      `Lost the connection to PostgreSQL (${reason.split("\n")[0]}): try again once the database is back.`,
      { reason },
    );
  }

  /** A command was left waiting for PostgreSQL, which stopped answering (its server died mid-statement). */
  static stoppedAnswering(): DatabaseUnavailableError {
    return new DatabaseUnavailableError(
      "PostgreSQL stopped answering in the middle of the command (its server stopped or was killed): nothing of an unfinished import was written; try again once the database is back.",
    );
  }

  /** The connection to PostgreSQL was lost while `file` was being imported; nothing of it was written. */
  static lostDuringImport(
    file: string,
    error: unknown,
  ): DatabaseUnavailableError {
    const reason = error instanceof Error ? error.message : String(error);
    return new DatabaseUnavailableError(
      `Lost the connection to PostgreSQL while importing ${file} (${reason.split("\n")[0]}): nothing of this import was written; import the file again once the database is back.`,
      { file, reason },
    );
  }

  /** Another import has held a lock this import needs (see importers/import-lock.ts) for longer than it may wait. */
  static importBusy(minutes: number): DatabaseUnavailableError {
    return new DatabaseUnavailableError(
      `Another import has been writing for over ${minutes} minutes, and imports of one partnership and month (or ones adding partnerships, services or members) run one at a time: try again once it has finished.`,
      { minutes },
    );
  }

  /** The embedded PostgreSQL did not start; logTail holds the last lines it logged. */
  static embeddedStartFailed(
    logPath: string,
    logTail: string[],
  ): DatabaseUnavailableError {
    const last =
      logTail.length > 0 ? logTail.slice(-3).join(" | ") : "no log output";
    return new DatabaseUnavailableError(
      `The embedded PostgreSQL failed to start (see ${logPath}): ${last}`,
      {
        logPath,
        logTail,
      },
    );
  }
}

/** PostgreSQL refused one of the hub's statements (a deadlock, a lock, a grant): neither the input nor a lost connection. */
export class DatabaseFaultError extends HubError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.DatabaseFault, message, details);
  }

  /** A statement of the import of `file` failed with `sqlState`; nothing of it was written, and the file is not at fault. */
  static duringImport(
    file: string,
    sqlState: string,
    error: unknown,
  ): DatabaseFaultError {
    const reason = error instanceof Error ? error.message : String(error);
    return new DatabaseFaultError(
      `The database refused a statement of the import of ${file} (SQLSTATE ${sqlState}: ${reason.split("\n")[0]}): nothing of this import was written. This is not a fault of the file; import it again, and report it if it happens again.`,
      { file, sqlState, reason },
    );
  }
}

/**
 * The caller may not do this or see this. The message never says whether the thing exists, so a
 * refusal leaks neither existence nor counts.
 */
export class ForbiddenError extends HubError {
  constructor(
    message = "You are not allowed to see or do this with your token.",
  ) {
    super(ErrorCode.Forbidden, message);
  }

  /** The caller's role is not enough. */
  static role(required: string): ForbiddenError {
    return new ForbiddenError(
      `This needs a token with the ${required.toLowerCase()} role or above.`,
    );
  }

  /** A council-bound token asking to import (or to see imports) over HTTP. */
  static councilBoundImport(): ForbiddenError {
    return new ForbiddenError(
      "Importing over HTTP needs a national token (one not bound to councils).",
    );
  }
}

/** An instance receiving as many uploads at once as it allows (each holds a PostgreSQL connection). */
export class UploadsBusyError extends HubError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.UploadsBusy, message, details);
  }

  /** `limit` uploads are being received already; the caller should try again in `retryAfterSeconds`. */
  static receiving(limit: number, retryAfterSeconds: number): UploadsBusyError {
    return new UploadsBusyError(
      `This instance is receiving ${limit} uploads already, as many as it takes at once: send it again in ${retryAfterSeconds} s.`,
      { limit, retryAfterSeconds },
    );
  }
}

/** The import queue will not take more from this caller until some of its jobs have ended. */
export class QueueFullError extends HubError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(ErrorCode.QueueFull, message, details);
  }

  /** The token's waiting and running uploads plus this one pass its byte allowance. */
  static bytesPerToken(
    name: string,
    queuedBytes: number,
    uploadBytes: number,
    limit: number,
  ): QueueFullError {
    return new QueueFullError(
      `"${name}" already has ${queuedBytes} bytes of uploads waiting or running; with this one (${uploadBytes} bytes) that passes the ${limit} bytes a token may have queued: wait until some of them have finished, then send it again.`,
      { queuedBytes, uploadBytes, limit },
    );
  }
}

import type { MikroORM } from "@mikro-orm/postgresql";
import { ensureDatabase, openDatabase } from "../db/database-url.js";
import { migrate, openOrm } from "../db/open-orm.js";
import { isConnectionLoss } from "../db/connection-loss.js";
import { withPort } from "../db/cluster-port.js";
import { loadCouncilRegister } from "../db/load-council-register.js";
import { settleWithin } from "../db/settle-within.js";
import { DatabaseUnavailableError } from "../errors/hub-error.js";
import { markInterruptedRuns } from "../importers/import-run-lease.js";
import { CouncilRegister } from "../register/resolve-council.js";

/** An open database for one command: the ORM, migrated, with the council register loaded. */
export interface HubSession {
  orm: MikroORM;
  /** Whether the database is the embedded one, and where its data lives. */
  embedded: boolean;
  dataDir: string | null;
  migrationsApplied: string[];
  /** Watches the embedded cluster and brings it back if it dies (see DatabaseHandle.supervise); stopped on close. */
  supervise(log: (line: string) => void): void;
  /** Closes the ORM and releases the embedded database (stopping it if no other sshub uses it). */
  close(): Promise<void>;
}

/**
 * Opens the hub's database the same way for every command: DATABASE_URL or the embedded cluster
 * (attached if another sshub runs it, else started and stopped again on close), then applies
 * committed migrations and loads the council register, both idempotent.
 */
export async function openHubSession(options: {
  log: (line: string) => void;
  migrateOnly?: boolean;
}): Promise<HubSession> {
  const handle = await openDatabase({ log: options.log });
  let orm: MikroORM | undefined;
  try {
    // The embedded cluster starts with only the maintenance database; a DATABASE_URL names one that exists.
    const url = handle.embedded
      ? await ensureDatabase(handle.url, new URL(handle.url).pathname.slice(1))
      : handle.url;
    orm = await openOrm(url);
    const migrated = orm;
    // Loading the register from two instances at once could deadlock: it is done under the lock.
    const migrationsApplied = await migrate(orm, async () => {
      if (!options.migrateOnly)
        await loadCouncilRegister(
          migrated.em.fork(),
          CouncilRegister.default().records,
        );
    });
    const interrupted = await markInterruptedRuns(orm.em.fork());
    if (interrupted.length)
      options.log(
        `sshub: marked ${interrupted.length === 1 ? "import run" : "import runs"} ${interrupted.map((id) => `#${id}`).join(", ")} INTERRUPTED: ${interrupted.length === 1 ? "its process" : "their processes"} stopped before finishing, and nothing of ${interrupted.length === 1 ? "it" : "them"} was written.`,
      );
    const opened = orm;
    let closing: Promise<void> | undefined;
    let unwatch = () => {};
    return {
      orm: opened,
      embedded: handle.embedded,
      dataDir: handle.dataDir,
      migrationsApplied,
      supervise(log) {
        // Connections made from the URL later (migration lock, uploads) go to the new port too.
        unwatch =
          handle.supervise?.(log, undefined, (port) =>
            opened.config.set(
              "clientUrl",
              withPort(opened.config.get("clientUrl")!, port),
            ),
          ) ?? unwatch;
      },
      close() {
        unwatch();
        closing ??= opened.close().finally(() => handle.release());
        return closing;
      },
    };
  } catch (error) {
    await orm?.close().catch(() => undefined);
    await handle.release();
    throw error;
  }
}

/** Runs `body` with an open session and closes it afterwards, whatever happens. */
export async function withHubSession<T>(
  options: Parameters<typeof openHubSession>[0],
  body: (session: HubSession) => Promise<T>,
): Promise<T> {
  const session = await openHubSession(options);
  openSessions++;
  try {
    return await body(session);
  } catch (error) {
    // A pool whose server died may never finish closing: report the failure rather than wait.
    if (isConnectionLoss(error) || error instanceof DatabaseUnavailableError)
      await settleWithin(session.close());
    throw error;
  } finally {
    await session.close();
    openSessions--;
  }
}

let openSessions = 0;

/** Whether a withHubSession body is running (so a command that stops waiting was waiting on the database). */
export function hubSessionOpen(): boolean {
  return openSessions > 0;
}

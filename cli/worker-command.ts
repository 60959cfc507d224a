import { Command } from "commander";
import { settleWithin } from "../db/settle-within.js";
import { ImportQueue } from "../jobs/import-queue.js";
import { openHubSession } from "./hub-session.js";
import { hubLogger } from "../observability/logger.js";
import {
  logLine,
  logLinesThrough,
  onShutdownSignal,
  runCommand,
} from "./run-command.js";

/** `sshub worker`: imports queued uploads, with no HTTP server, until Ctrl-C or SIGTERM. */
export function workerCommand(): Command {
  return new Command("worker")
    .description(
      "Import queued uploads (POST /imports, sshub import --queue) until Ctrl-C or SIGTERM, with no HTTP " +
        "server. Run as many as you like on one database; each takes one job at a time " +
        "(SSHUB_WORKER_CONCURRENCY). On SIGTERM it stops taking jobs and finishes, or hands back, the running one.",
    )
    .action(() =>
      runCommand(async () => {
        // JSON lines (readable ones on a terminal), each job's with its jobId and rows, as sshub start.
        const logger = hubLogger();
        logLinesThrough(logger);
        const session = await openHubSession({ log: logLine });
        let queue: ImportQueue;
        try {
          queue = await ImportQueue.open(session.orm, { log: logLine, logger });
          await queue.work();
        } catch (error) {
          await session.close();
          throw error;
        }
        const jobs = queue;
        session.supervise(logLine);
        onShutdownSignal(async () => {
          logLine("sshub: worker stopping…");
          // An import that would not stop is abandoned: exiting ends its transaction, writing nothing.
          if (await jobs.stop()) await session.close();
          else await settleWithin(session.close());
        });
        process.stdout.write("Shared Services Hub worker ready\n");
        await new Promise<never>(() => undefined);
      }),
    );
}

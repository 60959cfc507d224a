import { Command } from "commander";
import { importSampleData } from "../importers/import-sample-data.js";
import { settleWithin } from "../db/settle-within.js";
import { ImportQueue } from "../jobs/import-queue.js";
import { hubLogger } from "../observability/logger.js";
import { startHub } from "../server/start-hub.js";
import { openHubSession } from "./hub-session.js";
import {
  logLine,
  logLinesThrough,
  onShutdownSignal,
  runCommand,
} from "./run-command.js";

/** `sshub start`: the database, migrations, council register and the GraphQL API, until Ctrl-C. */
export function startCommand(): Command {
  return new Command("start")
    .description(
      "Start the hub: the database (embedded unless DATABASE_URL is set), migrations, the council register, " +
        "and the GraphQL API at http://localhost:PORT/graphql. Stops cleanly on Ctrl-C or SIGTERM.",
    )
    .option(
      "-p, --port <port>",
      "port to listen on (env PORT)",
      process.env.PORT ?? "4000",
    )
    .option(
      "--host <host>",
      "interface to listen on (env HOST)",
      process.env.HOST ?? "localhost",
    )
    .option(
      "--no-sample-data",
      "start with an empty database (only the council register), for your own workbooks",
    )
    .option(
      "--no-worker",
      "serve the API only: queue uploads, but leave importing them to other instances (sshub worker)",
    )
    .action(
      (options: {
        port: string;
        host: string;
        sampleData: boolean;
        worker: boolean;
      }) =>
        runCommand(async () => {
          // An operator's hub logs JSON lines (readable ones on a terminal), with an access log.
          const logger = hubLogger();
          logLinesThrough(logger);
          const port = Number(options.port);
          if (!Number.isInteger(port) || port < 0 || port > 65535) {
            logLine(
              `sshub: --port must be a number from 0 to 65535; it was "${options.port}".`,
            );
            return 2;
          }
          const production = process.env.NODE_ENV === "production";
          const session = await openHubSession({ log: logLine });
          let hub;
          let queue: ImportQueue | undefined;
          try {
            if (options.sampleData)
              await importSampleData(session.orm, logLine);
            queue = await ImportQueue.open(session.orm, {
              log: logLine,
              logger,
            });
            hub = await startHub({
              orm: session.orm,
              port,
              host: options.host,
              production,
              log: logLine,
              logger,
              importQueue: queue,
            });
            if (options.worker) await queue.work();
          } catch (error) {
            await queue?.stop().catch(() => undefined);
            await session.close();
            throw error;
          }
          const running = hub;
          const jobs = queue;
          // Losing the embedded PostgreSQL is noticed and repaired, not answered with 503 for good.
          session.supervise(logLine);
          onShutdownSignal(async () => {
            logLine("sshub: stopping…");
            // Uploads stop first, then the worker finishes (or hands back) its import within its bound.
            await running.stop();
            // An import that would not stop is abandoned: exiting ends its transaction, writing nothing.
            if (await jobs.stop()) await session.close();
            else await settleWithin(session.close());
          });
          const where = session.embedded
            ? `embedded PostgreSQL, data in ${session.dataDir}`
            : "PostgreSQL at DATABASE_URL";
          logLine(`sshub: database: ${where}`);
          if (session.migrationsApplied.length)
            logLine(
              `sshub: applied migrations: ${session.migrationsApplied.join(", ")}`,
            );
          if (!production)
            logLine(
              "sshub: development mode: anonymous requests read as a national viewer.",
            );
          logLine(
            `sshub: web page at ${running.pageUrl}; GraphQL IDE at ${running.url} in a browser`,
          );
          logLine(
            jobs.isWorker
              ? "sshub: import worker running: uploads are imported here (and by any other worker on this database)."
              : "sshub: no import worker here (--no-worker): uploads wait for an `sshub worker` or another instance.",
          );
          if (running.metricsUrl)
            logLine(`sshub: metrics for Prometheus at ${running.metricsUrl}`);
          process.stdout.write(`Shared Services Hub ready at ${running.url}\n`);
          await new Promise<never>(() => undefined);
        }),
    );
}

import type { MikroORM } from "@mikro-orm/postgresql";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigurationError } from "../errors/hub-error.js";
import type { Logger } from "../observability/logger.js";
import type { ImportQueue } from "../jobs/import-queue.js";
import {
  authenticateRequest,
  startParallelRequestCheck,
} from "./auth/authenticate-request.js";
import {
  authFailureLimitFromEnv,
  RateLimiter,
  rateLimitFromEnv,
} from "./auth/rate-limiter.js";
import { buildHubSchema } from "./build-schema.js";
import { catchRequestFailures } from "./catch-request-failures.js";
import { createApollo } from "./create-apollo.js";
import { createHttpServer } from "./http-server.js";
import { metricsListenFromEnv, startMetricsServer } from "./metrics-route.js";
import { Readiness } from "./readiness.js";
import { TrustedProxies } from "./trusted-proxies.js";
import { WebSite } from "./web-site.js";
import { requestTimeoutFromEnv } from "./request-scope.js";
import { queryLimitsFromEnv } from "./query-limits.js";

/** What the running hub needs from its caller: a migrated, loaded database. */
export interface HubOptions {
  orm: MikroORM;
  port: number;
  host?: string;
  production: boolean;
  /** Where lines about failures go, when there is no `logger`. */
  log: (line: string) => void;
  /** The structured logger: access log, failures; the CLI's `sshub start` passes the process's. */
  logger?: Logger;
  /** Where uploads are queued (every instance has one; whether it also works jobs is its own choice). */
  importQueue?: ImportQueue;
}

/** A running hub. */
export interface RunningHub {
  /** The GraphQL API (and, in a browser, the GraphQL IDE). */
  url: string;
  /** The web page for analysts and finance officers. */
  pageUrl: string;
  /** What `/readyz` checks: add the jobs worker's condition with `readiness.addCheck("worker", …)`. */
  readiness: Readiness;
  /** Where Prometheus scrapes without a token, when METRICS_PORT asks for a separate listener. */
  metricsUrl: string | null;
  server: Server;
  /** Stops accepting requests and waits for those under way. Does not close the ORM. */
  stop(): Promise<void>;
}

/** Starts the GraphQL API and the web page over HTTP; resolves once it listens, with the URLs to print. */
export async function startHub({
  orm,
  port,
  host = "localhost",
  production,
  log: lineLog,
  logger,
  importQueue,
}: HubOptions): Promise<RunningHub> {
  const log = logger ? (line: string) => logger.error(line) : lineLog;
  const metricsListen = metricsListenFromEnv();
  const trustedProxies = TrustedProxies.fromEnv();
  const readiness = new Readiness(orm);
  // Its checks run while the schema is built: the first /readyz then has their outcomes to go by.
  const warmed = readiness.warm();
  const schema = await buildHubSchema();
  // Read once: GraphQL and the export route hold strings to the same limit.
  const queryLimits = queryLimitsFromEnv();
  const apollo = createApollo({ schema, production, log, limits: queryLimits });
  await apollo.start();
  const server = createHttpServer({
    apollo,
    orm,
    callerFor: (req) =>
      authenticateRequest(orm.em.fork(), req.headers, production),
    // The root EntityManager: the check runs one statement and reads no entity into an identity
    // map, and a fork per request was about 1% of a small request's CPU (its profile).
    parallelCallerFor: (req) => startParallelRequestCheck(orm.em, req.headers),
    rateLimiter: RateLimiter.inDatabase(orm, rateLimitFromEnv()),
    authFailureLimiter: RateLimiter.inDatabase(
      orm,
      authFailureLimitFromEnv(),
      "failed-authentications",
    ),
    trustedProxies,
    readiness,
    requestTimeoutMs: requestTimeoutFromEnv(),
    queryLimits,
    log,
    ...(logger ? { logger } : {}),
    ...(importQueue ? { importQueue } : {}),
    webSite: await WebSite.load(),
  });
  await warmed;
  const stopCatching = catchRequestFailures(log);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    stopCatching();
    await apollo.stop();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
      throw ConfigurationError.portInUse(port, "PORT");
    if ((error as NodeJS.ErrnoException).code === "EACCES") {
      throw new ConfigurationError(
        `Not allowed to listen on port ${port}: set PORT to a port above 1023.`,
      );
    }
    throw error;
  }
  let metrics: Awaited<ReturnType<typeof startMetricsServer>> | null = null;
  try {
    if (metricsListen) metrics = await startMetricsServer(metricsListen);
  } catch (error) {
    stopCatching();
    await new Promise((resolve) => server.close(resolve));
    await apollo.stop();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return {
    url: `http://${shownHost}:${address.port}/graphql`,
    pageUrl: `http://${shownHost}:${address.port}/`,
    readiness,
    metricsUrl: metrics?.url ?? null,
    server,
    async stop() {
      await metrics?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
      stopCatching();
    },
  };
}

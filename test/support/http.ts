import type { MikroORM } from "@mikro-orm/postgresql";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { RateLimiter } from "../../server/auth/rate-limiter.js";
import { buildHubSchema } from "../../server/build-schema.js";
import { anonymousDevelopmentViewer } from "../../server/caller.js";
import { createApollo } from "../../server/create-apollo.js";
import {
  createHttpServer,
  type HttpOptions,
} from "../../server/http-server.js";
import type { WebSite } from "../../server/web-site.js";
import type { Logger } from "../../observability/logger.js";

/** The hub's HTTP server on a free loopback port, for tests that go through HTTP. */
export interface TestHttp {
  /** `http://127.0.0.1:<port>`. */
  base: string;
  /** The server itself, for tests of its sockets. */
  server: Server;
  close(): Promise<void>;
}

/** Starts the real HTTP server over `orm`; by default development mode, anonymous, no rate limit. */
export async function startTestHttp(
  orm: MikroORM,
  options: {
    production?: boolean;
    callerFor?: HttpOptions["callerFor"];
    rateLimiter?: RateLimiter;
    authFailureLimiter?: RateLimiter;
    requestTimeoutMs?: number;
    uploads?: HttpOptions["uploads"];
    importQueue?: HttpOptions["importQueue"];
    webSite?: WebSite;
    logger?: Logger;
    trustedProxies?: HttpOptions["trustedProxies"];
    readiness?: HttpOptions["readiness"];
    queryLimits?: HttpOptions["queryLimits"];
    /** Where failure lines go (Apollo's and the server's), as `sshub start` sends them to its logger; default nowhere. */
    log?: HttpOptions["log"];
  } = {},
): Promise<TestHttp> {
  const apollo = createApollo({
    schema: await buildHubSchema(),
    production: options.production ?? false,
    log: options.log ?? (() => undefined),
    ...(options.queryLimits ? { limits: options.queryLimits } : {}),
  });
  await apollo.start();
  const server = createHttpServer({
    apollo,
    orm,
    callerFor: options.callerFor ?? (async () => anonymousDevelopmentViewer),
    rateLimiter: options.rateLimiter ?? RateLimiter.off(),
    log: options.log ?? (() => undefined),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.trustedProxies
      ? { trustedProxies: options.trustedProxies }
      : {}),
    ...(options.readiness ? { readiness: options.readiness } : {}),
    ...(options.queryLimits ? { queryLimits: options.queryLimits } : {}),
    ...(options.uploads ? { uploads: options.uploads } : {}),
    ...(options.importQueue ? { importQueue: options.importQueue } : {}),
    webSite: options.webSite,
    ...(options.requestTimeoutMs
      ? { requestTimeoutMs: options.requestTimeoutMs }
      : {}),
    ...(options.authFailureLimiter
      ? { authFailureLimiter: options.authFailureLimiter }
      : {}),
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };
}

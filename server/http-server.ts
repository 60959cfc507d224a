import { HeaderMap, type ApolloServer } from "@apollo/server";
import type { MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { HubError } from "../errors/hub-error.js";
import { IMPORTS_PATH, serveImportUpload } from "./import-route.js";
import { sendJson } from "./json-response.js";
import type { RateLimiter } from "./auth/rate-limiter.js";
import { anonymousDevelopmentViewer, type Caller } from "./caller.js";
import { createContext, type Context } from "./context.js";
import {
  RECONCILIATION_EXPORT_PATH,
  serveReconciliationExport,
} from "./export-route.js";

/** The largest request body accepted (GraphQL documents and variables), in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What the HTTP layer needs. */
export interface HttpOptions {
  apollo: ApolloServer<Context>;
  orm: MikroORM;
  /** Works out who is calling; throws a HubError (UNAUTHENTICATED) to refuse. */
  callerFor: (req: IncomingMessage) => Promise<Caller>;
  /** Requests per minute per token (or per client address without one). */
  rateLimiter: RateLimiter;
  log: (line: string) => void;
}

class BodyTooLargeError extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Creates the hub's HTTP server: `/graphql` (Apollo) and `/healthz` (checks the database). */
export function createHttpServer({
  apollo,
  orm,
  callerFor,
  rateLimiter,
  log,
}: HttpOptions): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const requestId = randomUUID();
    res.setHeader("x-request-id", requestId);
    const handle = async () => {
      if (url.pathname === "/healthz") {
        try {
          await orm.em.getConnection().execute("select 1");
          sendJson(res, 200, { status: "ok", database: "ok" });
        } catch {
          sendJson(res, 503, {
            status: "unavailable",
            database: "unreachable",
          });
        }
        return;
      }
      let caller: Caller;
      try {
        caller = await callerFor(req);
      } catch (error) {
        if (!(error instanceof HubError)) throw error;
        res.setHeader("www-authenticate", 'Bearer realm="sshub"');
        sendJson(res, 401, {
          errors: [
            { message: error.message, extensions: { code: error.code } },
          ],
        });
        return;
      }
      const wait = rateLimiter.take(
        caller === anonymousDevelopmentViewer
          ? `address:${req.socket.remoteAddress ?? "unknown"}`
          : `token:${caller.name}`,
      );
      if (wait > 0) {
        res.setHeader("retry-after", String(wait));
        sendJson(res, 429, {
          errors: [
            {
              message: `Too many requests: at most ${rateLimiter.perMinute} a minute. Try again in ${wait} s.`,
              extensions: { code: "RATE_LIMITED" },
            },
          ],
        });
        return;
      }
      if (url.pathname === IMPORTS_PATH) {
        await serveImportUpload(req, res, orm, caller);
        return;
      }
      if (url.pathname === RECONCILIATION_EXPORT_PATH) {
        await serveReconciliationExport(
          req,
          res,
          url,
          orm.em.fork(),
          () => caller,
        );
        return;
      }
      if (url.pathname !== "/graphql") {
        sendJson(res, 404, {
          error: "Not found. The GraphQL API is at /graphql.",
        });
        return;
      }
      let body: unknown;
      if (req.method === "POST") {
        const text = await readBody(req);
        const type = req.headers["content-type"] ?? "";
        if (type.includes("application/json")) {
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            sendJson(res, 400, {
              errors: [
                {
                  message: "The request body is not valid JSON.",
                  extensions: { code: "BAD_REQUEST" },
                },
              ],
            });
            return;
          }
        } else {
          body = text;
        }
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined)
          headers.set(key, Array.isArray(value) ? value.join(", ") : value);
      }
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: (req.method ?? "GET").toUpperCase(),
          headers,
          search: url.search,
          body,
        },
        context: () => createContext(orm.em, caller, requestId),
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === "complete") {
        res.end(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    };
    handle().catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        sendJson(res, 413, {
          errors: [
            {
              message: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
              extensions: { code: "BAD_REQUEST" },
            },
          ],
        });
        return;
      }
      log(
        `request ${requestId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      if (!res.headersSent)
        sendJson(res, 500, {
          errors: [
            {
              message: "Internal server error",
              extensions: { code: "INTERNAL_SERVER_ERROR", requestId },
            },
          ],
        });
      else res.end();
    });
  });
}

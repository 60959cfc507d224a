import { HeaderMap, type ApolloServer } from "@apollo/server";
import { ApolloServerErrorCode } from "@apollo/server/errors";
import type { MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { ErrorCode, ForbiddenError, HubError } from "../errors/hub-error.js";
import { silentLogger, type Logger } from "../observability/logger.js";
import { Role, roleIncludes } from "../schema/role.js";
import { logWhenAnswered } from "./access-log.js";
import { closeWhenAnswered } from "./close-when-answered.js";
import type { ImportQueue } from "../jobs/import-queue.js";
import {
  defaultUploadOptions,
  IMPORT_JOBS_PATH,
  IMPORTS_PATH,
  serveImportJob,
  serveImportUpload,
  type UploadOptions,
} from "./import-route.js";
import {
  clientErrorStatus,
  sendError,
  sendHubError,
  sendInternalError,
  sendJson,
} from "./json-response.js";
import { RequestScope } from "./request-scope.js";
import type { WebSite } from "./web-site.js";
import {
  PROBLEMS_WORKBOOK_PATH,
  serveProblemsWorkbook,
} from "./problems-workbook-route.js";
import { hubErrorOf } from "./hub-error-of.js";
import { RateLimiter } from "./auth/rate-limiter.js";
import { mayCostAHash } from "./auth/authenticate-request.js";
import { isReadOnlyGraphqlRequest } from "./auth/read-only-graphql-request.js";
import { sameCaller, type ParallelCheck } from "./auth/token-service.js";
import { anonymousDevelopmentViewer, type Caller } from "./caller.js";
import { createContext, type Context } from "./context.js";
import { Readiness } from "./readiness.js";
import { TrustedProxies } from "./trusted-proxies.js";
import { METRICS_PATH, serveMetrics } from "./metrics-route.js";
import { queryLimitsFromEnv, type QueryLimits } from "./query-limits.js";
import {
  RECONCILIATION_EXPORT_PATH,
  serveReconciliationExport,
} from "./export-route.js";

/** The largest request body accepted (GraphQL documents and variables), in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * How long past its advertised keep-alive timeout (`Keep-Alive: timeout=5`) an idle socket is kept
 * open; Node's own buffer is 1 s. A client times its idle sockets by its own clock, and fetch's
 * (undici's) advances a fixed 499 ms per tick of a timer, so it stands still while the client's
 * thread is busy: after a long synchronous step it sends on a socket it counts as idle for less than
 * its limit, which the server, by real time, closes at that moment, and the request fails with
 * ECONNRESET. An idle socket costs the server little; clients that honour the advertised timeout
 * close theirs sooner anyway.
 */
export const KEEP_ALIVE_TIMEOUT_BUFFER_MS = 30_000;

/** What the HTTP layer needs. */
export interface HttpOptions {
  apollo: ApolloServer<Context>;
  orm: MikroORM;
  /** Works out who is calling; throws a HubError (UNAUTHENTICATED) to refuse. */
  callerFor: (req: IncomingMessage) => Promise<Caller>;
  /**
   * Starts the check of a token confirmed recently, with the caller it was confirmed as (default:
   * none, every request waits for `callerFor`). A GraphQL query then runs as that caller while its
   * token is checked, and is answered only if the check confirms the same caller; anything else
   * waits for the check.
   */
  parallelCallerFor?: (req: IncomingMessage) => ParallelCheck | null;
  /** Requests per minute per token (or per client address without one). */
  rateLimiter: RateLimiter;
  /** Failed authentications per minute per client address (default: none limited). */
  authFailureLimiter?: RateLimiter;
  /** Whose X-Forwarded-For names the client (default: nobody's). */
  trustedProxies?: TrustedProxies;
  /** What `/readyz` checks (default: the database and the migrations). */
  readiness?: Readiness;
  /** Where lines about failures go (an uncaught error in a request, with its request id). */
  log: (line: string) => void;
  /** Where the access log goes: one line per request (default: nowhere). */
  logger?: Logger;
  /** How long a GraphQL or export request may run before it is answered 503 and stopped (0: no limit, the default). */
  requestTimeoutMs?: number;
  /** Size limit and folder of `POST /imports` uploads (default: the importer's limit, the OS's temporary folder). */
  uploads?: UploadOptions;
  /** The GraphQL limits; the export route's parameters are held to the same string length (default: from the environment). */
  queryLimits?: QueryLimits;
  /** Where `POST /imports` queues uploads; without it uploads are answered 503. */
  importQueue?: ImportQueue;
  /** The web page and GraphQL IDE; without it only the API answers. */
  webSite?: WebSite;
}

// The route names of the request metrics: a fixed set, whatever paths clients ask for.
const ROUTES: Record<string, string> = {
  "/graphql": "graphql",
  "/healthz": "healthz",
  "/readyz": "readyz",
  [METRICS_PATH]: "metrics",
  [IMPORTS_PATH]: "imports",
  [RECONCILIATION_EXPORT_PATH]: "exports",
};

class BodyTooLargeError extends Error {}

/** The client went away before its body was read: nobody is left to answer. */
class ClientGoneError extends Error {}

// Listens instead of iterating: leaving a `for await` destroys the socket, and with it the 413.
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off("data", onData);
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("close", () => {
      if (!req.complete) reject(new ClientGoneError());
    });
  });
}

/**
 * Creates the hub's HTTP server: `/graphql` (Apollo), `/healthz` (alive), `/readyz` (database,
 * migrations and whatever else the Readiness checks), `/metrics`
 * (Prometheus, for admin tokens) and, with a `webSite`, the web page at `/` and the GraphQL IDE for
 * browsers at `/graphql`. Every request gets an access-log line and is counted in the metrics.
 */
export function createHttpServer({
  apollo,
  orm,
  callerFor,
  parallelCallerFor = () => null,
  rateLimiter,
  authFailureLimiter = RateLimiter.off(),
  trustedProxies = TrustedProxies.none(),
  readiness = new Readiness(orm),
  log,
  logger = silentLogger,
  requestTimeoutMs = 0,
  uploads = defaultUploadOptions(),
  queryLimits = queryLimitsFromEnv(),
  importQueue,
  webSite,
}: HttpOptions): Server {
  // The first check under way of each Authorization header not verified yet (see below).
  const firstChecks = new Map<string, Promise<void>>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const requestId = randomUUID();
    res.setHeader("x-request-id", requestId);
    const scope = new RequestScope(requestId, res);
    scope.route = ROUTES[url.pathname] ?? "not_found";
    const clientAddress = trustedProxies.clientAddress(
      req.socket.remoteAddress,
      req.headers["x-forwarded-for"],
    );
    const address = `address:${clientAddress}`;
    logWhenAnswered(req, res, scope, url.pathname, clientAddress, logger);
    /** Takes one request from `key`'s allowance; when it is spent, answers 429 and returns true. */
    const rateLimited = async (
      key: string,
      limiter = rateLimiter,
      what = "requests",
    ): Promise<boolean> => spent(await limiter.take(key), limiter, what);
    /** When `wait` (what `limiter.take` said) is more than 0, answers 429 and returns true. */
    const spent = (
      wait: number,
      limiter: RateLimiter,
      what: string,
    ): boolean => {
      if (wait <= 0) return false;
      res.setHeader("retry-after", String(wait));
      closeWhenAnswered(req, res);
      sendError(
        res,
        429,
        ErrorCode.RateLimited,
        `Too many ${what}: at most ${limiter.perMinute} a minute. Try again in ${wait} s.`,
      );
      return true;
    };
    /** Answers 401 with `error`'s code and message; a token that was good once is counted as a failure. */
    const refuse = async (error: HubError, countAsFailure: boolean) => {
      if (countAsFailure) await authFailureLimiter.take(address);
      res.setHeader("www-authenticate", 'Bearer realm="sshub"');
      closeWhenAnswered(req, res);
      sendError(res, 401, error.code, error.message);
    };
    /** The caller a parallel check confirms; null once its refusal is answered (or nobody waits for one). */
    const confirmed = async ({ check }: ParallelCheck) => {
      try {
        return await check;
      } catch (error) {
        // Stopped with the request (client gone, or past its deadline with the 503 out already).
        if (scope.signal.aborted) return null;
        if (!(error instanceof HubError)) throw error;
        await refuse(error, true);
        return null;
      }
    };
    /** Works out the caller (callerFor) with the failed-authentication allowance; null once a refusal is answered. */
    const authenticate = async (): Promise<Caller | null> => {
      // A presented token costs a scrypt hash to check: each attempt from an address is taken from
      // its allowance first (so concurrent guesses count too) and given back when it succeeds. A token
      // verified already (or being verified) costs none and is not a guess, so it is not taken first,
      // and is counted only if it fails (revoked or expired since).
      // Counting takes a database round trip: requests with the same header arriving meanwhile wait
      // for the first one's check instead of each being taken as a guess of their own.
      const header = req.headers.authorization;
      const presentsToken = header !== undefined;
      let mayHash = mayCostAHash(req.headers);
      const earlier = mayHash ? firstChecks.get(header!) : undefined;
      if (earlier) {
        await earlier;
        mayHash = mayCostAHash(req.headers);
      }
      let firstCheckDone = () => {};
      if (mayHash && !firstChecks.has(header!)) {
        firstChecks.set(
          header!,
          new Promise<void>((resolve) => (firstCheckDone = resolve)),
        );
        const done = firstCheckDone;
        firstCheckDone = () => {
          firstChecks.delete(header!);
          done();
        };
      }
      const failures = "failed authentications from your address";
      try {
        if (
          mayHash &&
          (await rateLimited(address, authFailureLimiter, failures))
        )
          return null;
        const caller = await callerFor(req);
        if (mayHash) await authFailureLimiter.refund(address);
        if (caller !== anonymousDevelopmentViewer) scope.token = caller.name;
        return caller;
      } catch (error) {
        if (!(error instanceof HubError)) throw error;
        await refuse(error, presentsToken && !mayHash);
        return null;
      } finally {
        firstCheckDone();
      }
    };
    const handle = async () => {
      // Neither needs a token: a load balancer or orchestrator asks them, and they tell nothing.
      if (url.pathname === "/healthz") {
        sendJson(res, 200, { status: "ok" });
        return;
      }
      if (url.pathname === "/readyz") {
        const { ready, checks } = await readiness.report();
        sendJson(res, ready ? 200 : 503, {
          status: ready ? "ready" : "unavailable",
          checks,
        });
        return;
      }
      // The page's files hold no data, so they need no token (a browser navigation cannot send one);
      // they are rate limited per client address like anonymous API requests.
      const webFile = webSite?.fileFor(req, url);
      if (webSite && webFile) {
        scope.route = "web";
        if (await rateLimited(address)) return;
        webSite.send(req, res, webFile);
        return;
      }
      // A GraphQL request whose token this process confirmed recently: its check starts now, and
      // only a query may run before it ends (see below).
      const parallel =
        url.pathname === "/graphql" ? parallelCallerFor(req) : null;
      const caller = parallel ? parallel.assumed : await authenticate();
      if (!caller) return;
      if (parallel) scope.token = caller.name;
      const limitKey =
        caller === anonymousDevelopmentViewer
          ? address
          : `token:${caller.name}`;
      // A request checked in parallel is counted now too, and its count looked at once its check
      // has confirmed the caller, before anything else is sent (below).
      const counted = parallel
        ? rateLimiter.take(limitKey).catch((error: unknown) => {
            // Stopped with the request: nobody is left to answer.
            if (scope.signal.aborted) return 0;
            throw error;
          })
        : null;
      counted?.catch(() => undefined);
      if (!parallel && (await rateLimited(limitKey))) return;
      if (url.pathname === METRICS_PATH) {
        if (!roleIncludes(caller.role, Role.ADMIN)) {
          const refusal = ForbiddenError.role(Role.ADMIN);
          sendError(res, 403, refusal.code, refusal.message);
          return;
        }
        await serveMetrics(res);
        return;
      }
      if (url.pathname === IMPORTS_PATH) {
        await serveImportUpload(req, res, importQueue, caller, uploads);
        return;
      }
      if (url.pathname.startsWith(IMPORT_JOBS_PATH)) {
        await serveImportJob(
          req,
          res,
          orm.em.fork(),
          caller,
          url.pathname.slice(IMPORT_JOBS_PATH.length),
        );
        return;
      }
      if (url.pathname === PROBLEMS_WORKBOOK_PATH) {
        await serveProblemsWorkbook(req, res, url, orm, caller, uploads);
        return;
      }
      if (url.pathname === RECONCILIATION_EXPORT_PATH) {
        scope.stopWhenAnsweredOrAfter(requestTimeoutMs);
        await serveReconciliationExport(
          req,
          res,
          url,
          orm.em.fork(),
          () => caller,
          queryLimits.maxStringLength,
        );
        return;
      }
      if (url.pathname !== "/graphql") {
        closeWhenAnswered(req, res);
        sendError(
          res,
          404,
          ErrorCode.NotFound,
          "Not found. The GraphQL API is at /graphql.",
        );
        return;
      }
      scope.stopWhenAnsweredOrAfter(requestTimeoutMs);
      let body: unknown;
      if (req.method === "POST") {
        if (Number(req.headers["content-length"]) > MAX_BODY_BYTES)
          throw new BodyTooLargeError();
        const text = await readBody(req);
        const type = req.headers["content-type"] ?? "";
        if (type.includes("application/json")) {
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            parallel?.readAlone();
            if (parallel && !(await confirmed(parallel))) return;
            sendError(
              res,
              400,
              ApolloServerErrorCode.BAD_REQUEST,
              "The request body is not valid JSON.",
            );
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
      const method = (req.method ?? "GET").toUpperCase();
      const execute = (as: Caller) =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method, headers, search: url.search, body },
          context: () => createContext(orm.em, as, requestId),
        });
      let response: Awaited<ReturnType<typeof execute>>;
      if (!parallel) response = await execute(caller);
      else {
        // A query starts as the caller the token was confirmed as, and its first read statement
        // reads the token's row too (carry); its answer is sent only if that read confirms the
        // caller now (not revoked, not expired, the same role and councils), so every answer still
        // agrees with the database as it was after the request arrived. A query whose statements
        // did not read the row has it read alone once it has run; anything that may have side
        // effects waits for the check, as every request used to.
        const early = isReadOnlyGraphqlRequest(method, body, url.searchParams)
          ? parallel.carry(() => execute(caller))
          : null;
        if (early) early.finally(parallel.readAlone).catch(() => undefined);
        else parallel.readAlone();
        const fresh = await confirmed(parallel);
        // Refused (401, or 429 when its allowance is spent): the early answer is dropped, and its
        // work stopped now that the refusal is out.
        if (!fresh || spent(await counted!, rateLimiter, "requests")) return;
        response =
          early && sameCaller(fresh, caller)
            ? await early
            : await execute(fresh);
      }
      // Past the deadline the 503 went out already: what Apollo made of the stopped work is dropped.
      if (res.headersSent) return;
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === "complete") {
        // Encoded here: Node writes a string body after its headers as one string made of both,
        // which it copies whole before encoding it (a deep list's answer is 150 kB).
        res.end(
          scope.heldBody(response.body.string) ??
            Buffer.from(response.body.string),
        );
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    };
    scope.run(handle).catch((error: unknown) => {
      if (error instanceof ClientGoneError) return;
      // Work stopped past its deadline, or after its answer: the answer is out already.
      if (scope.signal.aborted && res.headersSent) return;
      if (error instanceof BodyTooLargeError) {
        closeWhenAnswered(req, res);
        sendError(
          res,
          413,
          ErrorCode.TooLarge,
          `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
        );
        return;
      }
      // A statement timeout is TIMED_OUT, a lost database DATABASE_UNAVAILABLE (503, Retry-After).
      const known = hubErrorOf(error);
      const status = clientErrorStatus(known);
      // Logged unless the client can fix it or asked too much; a lost database is the operator's to know.
      if (status === undefined || known!.code === ErrorCode.DatabaseUnavailable)
        // In the request's scope, so that the line carries its requestId field.
        scope.run(() =>
          log(
            `request ${requestId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          ),
        );
      if (res.writableEnded) return;
      if (status !== undefined && !res.headersSent) sendHubError(res, known);
      else sendInternalError(res, requestId);
    });
  });
  server.keepAliveTimeoutBuffer = KEEP_ALIVE_TIMEOUT_BUFFER_MS;
  return server;
}

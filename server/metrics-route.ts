import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigurationError, ErrorCode } from "../errors/hub-error.js";
import {
  collectProcessMetrics,
  metricsRegistry,
} from "../observability/metrics-registry.js";
import { sendError } from "./json-response.js";

/** Where Prometheus scrapes the hub. */
export const METRICS_PATH = "/metrics";

/** Answers with every metric of the process in Prometheus's text format. */
export async function serveMetrics(res: ServerResponse): Promise<void> {
  collectProcessMetrics();
  const text = await metricsRegistry.metrics();
  res.statusCode = 200;
  res.setHeader("content-type", metricsRegistry.contentType);
  res.setHeader("cache-control", "no-store");
  res.end(text);
}

/** The separate metrics listener asked for by METRICS_PORT (and METRICS_HOST, default localhost), if any. */
export function metricsListenFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): { host: string; port: number } | null {
  const text = env.METRICS_PORT?.trim();
  if (!text) {
    if (env.METRICS_HOST?.trim())
      throw new ConfigurationError(
        "METRICS_HOST is set without METRICS_PORT: set METRICS_PORT to the port Prometheus scrapes.",
      );
    return null;
  }
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigurationError(
      `METRICS_PORT must be a port number from 0 to 65535; it is "${text}".`,
    );
  return { host: env.METRICS_HOST?.trim() || "localhost", port };
}

/**
 * Serves `GET /metrics` without a token on its own address, for a Prometheus that reaches the hub
 * over a private network: whoever can reach this address can read the metrics, so it is not the
 * public listener (which asks for an admin token instead).
 */
export async function startMetricsServer(listen: {
  host: string;
  port: number;
}): Promise<{ url: string; server: Server; stop(): Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path !== METRICS_PATH) {
      sendError(res, 404, ErrorCode.NotFound, "Only /metrics is served here.");
      return;
    }
    serveMetrics(res).catch(() => {
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? ConfigurationError.portInUse(listen.port, "METRICS_PORT")
          : error,
      ),
    );
    server.listen(listen.port, listen.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${listen.host}:${port}${METRICS_PATH}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

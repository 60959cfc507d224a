import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpRequestDuration } from "../../observability/http-metrics.js";
import { createLogger } from "../../observability/logger.js";
import { Role } from "../../schema/role.js";
import { authenticateRequest } from "../../server/auth/authenticate-request.js";
import { createToken } from "../../server/auth/token-service.js";
import { operatorCaller } from "../../server/caller.js";
import {
  metricsListenFromEnv,
  startMetricsServer,
} from "../../server/metrics-route.js";
import { startTestHttp, type TestHttp } from "../support/http.js";
import { useTestDatabase } from "../support/test-database.js";

const db = useTestDatabase();
let http: TestHttp;
let admin: string;
let viewer: string;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  const token = async (name: string, role: Role) =>
    (
      await createToken(db.orm.em.fork(), {
        name,
        role,
        councils: [],
        createdBy: operatorCaller(),
      })
    ).token;
  admin = await token("prometheus", Role.ADMIN);
  viewer = await token("dashboard", Role.VIEWER);
  http = await startTestHttp(db.orm, {
    production: true,
    callerFor: (req) =>
      authenticateRequest(db.orm.em.fork(), req.headers, true),
    logger: createLogger({
      format: "json",
      level: "info",
      destination: {
        write: (line: string) => void logLines.push(JSON.parse(line)),
      },
    }),
  });
});
afterAll(async () => {
  await http.close();
});

function graphql(token: string, body: Record<string, unknown>) {
  return fetch(`${http.base}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(body),
  });
}

async function scrape(): Promise<parsePrometheusTextFormat.Family[]> {
  const response = await fetch(`${http.base}/metrics`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  return parsePrometheusTextFormat(await response.text());
}

function family(families: parsePrometheusTextFormat.Family[], name: string) {
  const found = families.find((f) => f.name === name);
  if (!found) throw new Error(`no metric ${name}`);
  return found;
}

describe("GET /metrics", () => {
  it("counts requests by route, operation and status, their latency, and GraphQL errors by code", async () => {
    for (let i = 0; i < 3; i++)
      expect(
        (
          await graphql(viewer, {
            query: "query CouncilCount { councils { totalCount } }",
            operationName: "CouncilCount",
          })
        ).status,
      ).toBe(200);
    const bad = await graphql(viewer, {
      query: "{ noSuchField }",
    });
    expect(await bad.json()).toMatchObject({
      errors: [{ extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }],
    });
    const families = await scrape();
    const requests = family(families, "sshub_http_requests_total");
    expect(requests.type).toBe("COUNTER");
    expect(
      requests.metrics.find(
        (m) =>
          m.labels?.route === "graphql" &&
          m.labels.operation === "CouncilCount" &&
          m.labels.status === "200",
      )?.value,
    ).toBe("3");
    const latency = family(families, "sshub_http_request_duration_seconds");
    expect(latency.type).toBe("HISTOGRAM");
    expect(Object.keys(latency.metrics[0]!.buckets!)).toContain("+Inf");
    // The text parser folds a labelled histogram into one set of buckets: its count per operation
    // is read from the histogram itself.
    const counts = (await httpRequestDuration.get()).values.filter(
      (v) =>
        v.metricName === "sshub_http_request_duration_seconds_count" &&
        v.labels.operation === "CouncilCount",
    );
    expect(counts.map((v) => v.value)).toEqual([3]);
    const errors = family(families, "sshub_graphql_errors_total");
    expect(
      errors.metrics.find((m) => m.labels?.code === "GRAPHQL_VALIDATION_FAILED")
        ?.value,
    ).toBe("1");
    expect(family(families, "sshub_db_pool_in_use").type).toBe("GAUGE");
    expect(family(families, "sshub_db_pool_waiting").metrics[0]!.value).toBe(
      "0",
    );
    expect(
      Number(family(families, "sshub_db_pool_connections").metrics[0]!.value),
    ).toBeGreaterThan(0);
    expect(
      families.some((f) => f.name === "sshub_process_resident_memory_bytes"),
    ).toBe(true);
  });

  it("is refused without an admin token on the public listener", async () => {
    const asViewer = await fetch(`${http.base}/metrics`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(asViewer.status).toBe(403);
    expect((await fetch(`${http.base}/metrics`)).status).toBe(401);
  });

  it("is served without a token on the separate METRICS_PORT listener, and nothing else is", async () => {
    const listen = metricsListenFromEnv({
      METRICS_HOST: "127.0.0.1",
      METRICS_PORT: "0",
    })!;
    const metrics = await startMetricsServer(listen);
    try {
      const response = await fetch(metrics.url);
      expect(response.status).toBe(200);
      expect(
        parsePrometheusTextFormat(await response.text()).some(
          (f) => f.name === "sshub_http_requests_total",
        ),
      ).toBe(true);
      const other = await fetch(metrics.url.replace("/metrics", "/graphql"));
      expect(other.status).toBe(404);
    } finally {
      await metrics.stop();
    }
    expect(metricsListenFromEnv({})).toBeNull();
    expect(() => metricsListenFromEnv({ METRICS_PORT: "http" })).toThrow(
      /METRICS_PORT/,
    );
    expect(() => metricsListenFromEnv({ METRICS_HOST: "10.0.0.1" })).toThrow(
      /METRICS_PORT/,
    );
  });
});

describe("the access log", () => {
  it("writes one line per request with its id, token name, operation, status and duration, never the token", async () => {
    const response = await graphql(viewer, {
      query: "query Named { councils { totalCount } }",
    });
    const requestId = response.headers.get("x-request-id")!;
    await response.text();
    // The line is written when the response closes, just after the client has read it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = logLines.filter((line) => line.requestId === requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "info",
      method: "POST",
      path: "/graphql",
      status: 200,
      token: "dashboard",
      operation: "Named",
      address: "127.0.0.1",
    });
    expect(typeof lines[0]!.durationMs).toBe("number");
    expect(lines[0]!.time).toEqual(expect.any(String));
    expect(JSON.stringify(logLines)).not.toContain(viewer);
    expect(JSON.stringify(logLines)).not.toContain(admin);
  });
});

import type { IncomingMessage } from "node:http";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Role } from "../../../schema/role.js";
import { authenticateRequest } from "../../../server/auth/authenticate-request.js";
import {
  authFailureLimitFromEnv,
  RateLimiter,
} from "../../../server/auth/rate-limiter.js";
import { createToken } from "../../../server/auth/token-service.js";
import { operatorCaller } from "../../../server/caller.js";
import { startTestHttp, type TestHttp } from "../../support/http.js";
import { useTestDatabase } from "../../support/test-database.js";

const db = useTestDatabase();
let http: TestHttp;
let valid: string;
let forged: string;
/** How many requests reached the token check (each one with a token costs a scrypt hash). */
let checks = 0;

beforeAll(async () => {
  valid = (
    await createToken(db.orm.em.fork(), {
      name: "guessed",
      role: Role.VIEWER,
      councils: [],
      createdBy: operatorCaller(),
    })
  ).token;
  // The real token's id with another secret: found in the database, so its hash is checked.
  forged = `${/^sshub_\d+_/.exec(valid)![0]}${"x".repeat(43)}`;
  expect(forged).not.toBe(valid);
  http = await startTestHttp(db.orm, {
    production: true,
    callerFor: (req: IncomingMessage) => {
      checks += 1;
      return authenticateRequest(db.orm.em.fork(), req.headers, true);
    },
    authFailureLimiter: RateLimiter.inDatabase(
      db.orm,
      3,
      "failed-authentications",
    ),
  });
});
afterAll(async () => {
  await http.close();
});

/** Asks `{ councils { totalCount } }` with `token`, from the loopback address `from`. */
function ask(
  token: string,
  from: string,
): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  const url = new URL(`${http.base}/graphql`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress: from,
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => void (body += chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode!,
            retryAfter: res.headers["retry-after"],
            body,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify({ query: "{ councils { totalCount } }" }));
  });
}

describe("failed authentication is limited per client address", () => {
  it("refuses a fourth bad token a minute from one address with 429 and Retry-After, before checking it", async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await ask(forged, "127.0.0.2")).status);
    expect(statuses).toEqual([401, 401, 401]);
    const before = checks;
    const refused = await ask(forged, "127.0.0.2");
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(JSON.parse(refused.body)).toMatchObject({
      errors: [
        {
          message: expect.stringContaining("failed authentications"),
          extensions: { code: "RATE_LIMITED" },
        },
      ],
    });
    expect(checks).toBe(before);
  });

  it("answers a good client's burst of concurrent requests, more than the allowance, with one hash", async () => {
    // The token is not verified yet in this process: the burst's first check hashes, the rest share it.
    const first = await Promise.all(
      Array.from({ length: 8 }, () => ask(valid, "127.0.0.4")),
    );
    expect(first.map((r) => r.status)).toEqual(Array(8).fill(200));
    const again = await Promise.all(
      Array.from({ length: 8 }, () => ask(valid, "127.0.0.4")),
    );
    expect(again.map((r) => r.status)).toEqual(Array(8).fill(200));
    // A guess from that address is still taken from its allowance of 3.
    expect((await ask(forged, "127.0.0.4")).status).toBe(401);
  });

  it("leaves other addresses alone, and does not count successes", async () => {
    for (let i = 0; i < 5; i++)
      expect((await ask(valid, "127.0.0.3")).status).toBe(200);
    expect((await ask(forged, "127.0.0.3")).status).toBe(401);
  });

  it("reads its limit from SSHUB_AUTH_FAILURE_LIMIT", () => {
    expect(authFailureLimitFromEnv({})).toBe(10);
    expect(authFailureLimitFromEnv({ SSHUB_AUTH_FAILURE_LIMIT: "0" })).toBe(0);
    expect(() =>
      authFailureLimitFromEnv({ SSHUB_AUTH_FAILURE_LIMIT: "many" }),
    ).toThrow(/SSHUB_AUTH_FAILURE_LIMIT/);
  });
});

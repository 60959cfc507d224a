import type { MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openOrm } from "../../../db/open-orm.js";
import {
  RateLimiter,
  rateLimitFromEnv,
  secondsToWait,
} from "../../../server/auth/rate-limiter.js";
import { useTestDatabase } from "../../support/test-database.js";

describe("the sliding-window rule", () => {
  it("allows up to the limit in a minute, counting the minute before as spread over it", () => {
    expect(secondsToWait(10, { current: 10, previous: 0, elapsedMs: 0 })).toBe(
      0,
    );
    expect(
      secondsToWait(10, { current: 11, previous: 0, elapsedMs: 30_000 }),
    ).toBeGreaterThan(0);
    // Half way through the minute, half of the 10 before still count: 5 + 5 is the limit, 5 + 6 is over.
    expect(
      secondsToWait(10, { current: 5, previous: 10, elapsedMs: 30_000 }),
    ).toBe(0);
    expect(
      secondsToWait(10, { current: 6, previous: 10, elapsedMs: 30_000 }),
    ).toBeGreaterThan(0);
  });

  it("asks for a wait that lets the next request through", () => {
    // 6 now, 10 the minute before, half way: one more needs the old weight down to 3, i.e. 42 s in.
    const counts = { current: 6, previous: 10, elapsedMs: 30_000 };
    const wait = secondsToWait(10, counts);
    expect(wait).toBe(12);
    expect(
      secondsToWait(10, {
        current: 7,
        previous: 10,
        elapsedMs: 30_000 + wait * 1000,
      }),
    ).toBe(0);
    // This minute spent at its 20th second: into the next minute until 10's weight leaves room for one.
    const spent = secondsToWait(10, {
      current: 11,
      previous: 0,
      elapsedMs: 20_000,
    });
    expect(spent).toBe(Math.ceil(40 + (1 - 9 / 11) * 60));
    expect(
      secondsToWait(10, {
        current: 1,
        previous: 11,
        elapsedMs: (spent - 40) * 1000,
      }),
    ).toBe(0);
  });

  it("reads SSHUB_RATE_LIMIT", () => {
    expect(rateLimitFromEnv({})).toBe(600);
    expect(rateLimitFromEnv({ SSHUB_RATE_LIMIT: "5" })).toBe(5);
    expect(() => rateLimitFromEnv({ SSHUB_RATE_LIMIT: "lots" })).toThrow(
      /SSHUB_RATE_LIMIT/,
    );
  });
});

describe("RateLimiter counted in PostgreSQL", () => {
  const db = useTestDatabase();
  let other: MikroORM;
  beforeAll(async () => {
    // A second pool on the same database: what another hub instance is.
    other = await openOrm(db.url);
  });
  afterAll(async () => {
    await other.close();
  });

  it("shares one limit between two instances on one database, per key", async () => {
    const first = RateLimiter.inDatabase(db.orm, 4);
    const second = RateLimiter.inDatabase(other, 4);
    const waits = [];
    for (let i = 0; i < 4; i++)
      waits.push(await (i % 2 ? second : first).take("token:shared"));
    expect(waits).toEqual([0, 0, 0, 0]);
    expect(await first.take("token:shared")).toBeGreaterThan(0);
    expect(await second.take("token:shared")).toBeGreaterThan(0);
    expect(await second.take("token:other")).toBe(0);
  });

  it("gives back a refunded request", async () => {
    const limiter = RateLimiter.inDatabase(db.orm, 2);
    expect(await limiter.take("address:a")).toBe(0);
    await limiter.refund("address:a");
    expect(await limiter.take("address:a")).toBe(0);
    expect(await limiter.take("address:a")).toBe(0);
    expect(await limiter.take("address:a")).toBeGreaterThan(0);
  });

  it("keeps apart the counts of limiters with different counters for one key", async () => {
    const requests = RateLimiter.inDatabase(db.orm, 1, "requests");
    const failures = RateLimiter.inDatabase(db.orm, 1, "failures");
    expect(await requests.take("address:b")).toBe(0);
    expect(await failures.take("address:b")).toBe(0);
    expect(await requests.take("address:b")).toBeGreaterThan(0);
  });

  it("is off at 0, and touches no database then", async () => {
    const off = RateLimiter.off();
    for (let i = 0; i < 5; i++) expect(await off.take("a")).toBe(0);
    expect(await RateLimiter.inDatabase(db.orm, 0).take("a")).toBe(0);
  });
});

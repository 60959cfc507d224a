import { describe, expect, it } from "vitest";
import {
  RateLimiter,
  rateLimitFromEnv,
} from "../../../server/auth/rate-limiter.js";

describe("RateLimiter", () => {
  it("allows a burst up to the limit, then asks the caller to wait, then refills", () => {
    let now = 0;
    const limiter = new RateLimiter(3, () => now);
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([
      0, 0, 0,
    ]);
    expect(limiter.take("a")).toBe(20);
    expect(limiter.take("b")).toBe(0);
    now += 20_000;
    expect(limiter.take("a")).toBe(0);
  });

  it("is off at 0 and reads SSHUB_RATE_LIMIT", () => {
    expect(new RateLimiter(0).take("a")).toBe(0);
    expect(rateLimitFromEnv({})).toBe(600);
    expect(rateLimitFromEnv({ SSHUB_RATE_LIMIT: "5" })).toBe(5);
    expect(() => rateLimitFromEnv({ SSHUB_RATE_LIMIT: "lots" })).toThrow(
      /SSHUB_RATE_LIMIT/,
    );
  });
});

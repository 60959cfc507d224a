import { ConfigurationError } from "../../errors/hub-error.js";

/**
 * A token bucket per key (token name, or client address for anonymous callers and failed
 * authentications): `perMinute` requests a minute, refilled continuously, with bursts up to the same
 * number. In memory: one hub process.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request from `key`'s bucket; returns 0 when allowed, else the seconds to wait. */
  take(key: string): number {
    if (this.perMinute <= 0) return 0;
    const now = this.now();
    const ratePerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(
      this.perMinute,
      bucket.tokens + (now - bucket.at) * ratePerMs,
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.forgetFull(now, ratePerMs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / ratePerMs / 1000);
  }

  /** Gives back a request taken from `key`'s bucket: one that turned out not to count (a success, where failures are limited). */
  refund(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.perMinute, bucket.tokens + 1);
  }

  // Full buckets carry no information: dropping them bounds memory under many distinct keys.
  private forgetFull(now: number, ratePerMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * ratePerMs >= this.perMinute)
        this.buckets.delete(key);
    }
  }
}

function perMinuteFromEnv(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  what: string,
): number {
  const value = env[name] === undefined ? fallback : Number(env[name]);
  if (!Number.isInteger(value) || value < 0)
    throw ConfigurationError.notWholeNumber(
      name,
      env[name],
      `${what} per minute`,
      0,
    );
  return value;
}

/** The limit from `SSHUB_RATE_LIMIT` (requests per minute per token; 0 turns it off), default 600. */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return perMinuteFromEnv(env, "SSHUB_RATE_LIMIT", 600, "requests");
}

/**
 * The limit from `SSHUB_AUTH_FAILURE_LIMIT` (failed authentications per minute per client address;
 * 0 turns it off), default 10: each attempt costs a scrypt hash, so guessing is slow and cheap to refuse.
 */
export function authFailureLimitFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): number {
  return perMinuteFromEnv(
    env,
    "SSHUB_AUTH_FAILURE_LIMIT",
    10,
    "failed authentications",
  );
}

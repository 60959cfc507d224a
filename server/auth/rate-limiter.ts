import type { MikroORM } from "@mikro-orm/postgresql";
import { ConfigurationError } from "../../errors/hub-error.js";
import { runPrepared } from "../loading/prepared-sql.js";

const MINUTE_MS = 60_000;

/** A key's counters as PostgreSQL read them when one more request was counted. */
export interface MinuteCounts {
  /** Requests counted in the current minute, this one included. */
  current: number;
  /** Requests counted in the minute before. */
  previous: number;
  /** How far into the current minute the database's clock is, in milliseconds. */
  elapsedMs: number;
}

/**
 * The sliding-window rule: a key has made `previous × (time left of the minute) + current` requests
 * in the last minute, counting the previous minute's as spread evenly over it. Returns 0 when that
 * is at most `perMinute`, else the whole seconds until one more request would be allowed (at least 1).
 * Refused requests count too: a client that keeps knocking stays refused.
 */
export function secondsToWait(perMinute: number, counts: MinuteCounts): number {
  const { current, previous, elapsedMs } = counts;
  const left = 1 - elapsedMs / MINUTE_MS;
  if (previous * left + current <= perMinute) return 0;
  let waitMs: number;
  if (current + 1 <= perMinute) {
    // Within this minute: until the previous minute's weight has shrunk enough for one more.
    const neededLeft = (perMinute - current - 1) / previous;
    waitMs = (left - neededLeft) * MINUTE_MS;
  } else {
    // This minute is spent: into the next one, until this minute's weight allows one more.
    const neededLeft = current > 0 ? (perMinute - 1) / current : 1;
    waitMs = left * MINUTE_MS + (1 - Math.max(0, neededLeft)) * MINUTE_MS;
  }
  return Math.max(1, Math.ceil(waitMs / 1000));
}

// One statement per request: count it in the key's row for the database's current minute (so every
// instance uses one clock), and read the minute before. Prepared (runPrepared): planned once per
// connection instead of for every request.
const TAKE_SQL = `with clock as (select (extract(epoch from clock_timestamp()) * 1000)::bigint as ms),
counted as (
  insert into rate_limit_count as c (key, minute, count)
  select ?, ms / ${MINUTE_MS}, 1 from clock
  on conflict (key, minute) do update set count = c.count + 1
  returning c.count, c.minute)
select counted.count as current,
  coalesce((select p.count from rate_limit_count p where p.key = ? and p.minute = counted.minute - 1), 0) as previous,
  (select ms from clock) % ${MINUTE_MS} as elapsed_ms
from counted`;

const REFUND_SQL = `update rate_limit_count set count = count - 1
where key = ? and count > 0
  and minute = (select max(minute) from rate_limit_count where key = ?)`;

const SWEEP_SQL = `delete from rate_limit_count
where minute < (extract(epoch from clock_timestamp()) * 1000)::bigint / ${MINUTE_MS} - 1`;

/**
 * A limit of `perMinute` requests a minute per key (token name, or client address for anonymous
 * callers and failed authentications), counted in PostgreSQL (table rate_limit_count): every hub
 * instance on the database counts into the same rows, so the limit is the same whichever answers.
 */
export class RateLimiter {
  private lastSweep = Date.now();

  private constructor(
    readonly perMinute: number,
    private readonly orm: MikroORM | null,
    private readonly counter: string,
  ) {}

  /** A limiter that allows everything (a limit of 0). */
  static off(): RateLimiter {
    return new RateLimiter(0, null, "");
  }

  /**
   * A limit of `perMinute` (0: off) counted in `orm`'s database under `counter` (requests, failed
   * authentications, …): limiters with different counters keep apart counts for the same key.
   */
  static inDatabase(
    orm: MikroORM,
    perMinute: number,
    counter = "requests",
  ): RateLimiter {
    return new RateLimiter(perMinute, perMinute > 0 ? orm : null, counter);
  }

  /** Counts one request of `key`; returns 0 when it is allowed, else the seconds to wait. */
  async take(key: string): Promise<number> {
    if (!this.orm) return 0;
    const [row] = await runPrepared<{
      current: number;
      previous: number;
      elapsed_ms: string;
    }>(this.orm.em, TAKE_SQL, [this.rowKey(key), this.rowKey(key)]);
    this.sweepNowAndThen();
    return secondsToWait(this.perMinute, {
      current: Number(row!.current),
      previous: Number(row!.previous),
      elapsedMs: Number(row!.elapsed_ms),
    });
  }

  /** Gives back a request taken from `key`: one that turned out not to count (a success, where failures are limited). */
  async refund(key: string): Promise<void> {
    if (!this.orm) return;
    await this.orm.em
      .getConnection()
      .execute(REFUND_SQL, [this.rowKey(key), this.rowKey(key)]);
  }

  private rowKey(key: string): string {
    return `${this.counter}/${key}`;
  }

  // Rows of minutes before the previous one carry nothing: each instance deletes them once a minute.
  private sweepNowAndThen(): void {
    if (Date.now() - this.lastSweep < MINUTE_MS) return;
    this.lastSweep = Date.now();
    this.orm!.em.getConnection()
      .execute(SWEEP_SQL)
      .catch(() => undefined);
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

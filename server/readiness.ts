import type { MikroORM } from "@mikro-orm/postgresql";
import { migrations } from "../migrations/index.js";

/** One condition of readiness: resolves when it holds, throws (or rejects) with the reason when not. */
export type ReadinessCheck = () => Promise<void> | void;

/** How long a check may take before it counts as failed, so `/readyz` answers within 100 ms. */
export const READINESS_CHECK_TIMEOUT_MS = 80;

/**
 * How long a check may go on past READINESS_CHECK_TIMEOUT_MS and still count as passing, when it
 * passed the last time it finished: a database that answered a moment ago and is slow to answer now
 * (a loaded machine, a cold connection) is up; one that has not answered for this long is not.
 */
export const READINESS_SLOW_CHECK_GRACE_MS = 5_000;

/** What `/readyz` answers: each check's "ok" or the reason it failed. */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, string>;
}

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Whether this instance should be sent traffic (`GET /readyz`): its database answers, every
 * migration this code knows is applied, and whatever else was added with `addCheck` (the jobs
 * worker, where one runs) holds. Each check is waited for at most READINESS_CHECK_TIMEOUT_MS and at
 * most one of each runs at a time, so a load balancer polling a hub whose database hangs piles
 * nothing up. A check still running at that bound counts as passing when it passed the last time it
 * finished and has been running for less than READINESS_SLOW_CHECK_GRACE_MS: the bound is wall
 * time, and on a loaded machine a database that is up can take longer than 80 ms to be heard from;
 * taking every instance out of service because the machine is busy would make the load worse.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly running = new Map<
    string,
    { done: Promise<void>; startedAt: number }
  >();
  /** Whether each check passed the last time it finished. */
  private readonly lastPassed = new Map<string, boolean>();
  private migrationsCurrent = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly timeoutMs = READINESS_CHECK_TIMEOUT_MS,
    private readonly graceMs = READINESS_SLOW_CHECK_GRACE_MS,
  ) {
    this.checks.set("database", () => this.databaseAnswers());
    this.checks.set("migrations", () => this.migrationsApplied());
  }

  /** Adds a condition under `name` (for example "worker": the jobs worker is running). */
  addCheck(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /**
   * Runs every check once and waits for them (at most `ms`), so that the first `/readyz` of a hub
   * just started has their outcomes to go by (see the class comment); never throws.
   */
  async warm(ms = READINESS_SLOW_CHECK_GRACE_MS): Promise<void> {
    await Promise.allSettled(
      [...this.checks.keys()].map((name) => within(this.runOnce(name), ms)),
    );
  }

  /** Runs every check at once and reports them. */
  async report(): Promise<ReadinessReport> {
    const names = [...this.checks.keys()];
    const outcomes = await Promise.allSettled(
      names.map((name) => this.bounded(name)),
    );
    const checks: Record<string, string> = {};
    outcomes.forEach((outcome, i) => {
      checks[names[i]!] =
        outcome.status === "fulfilled"
          ? "ok"
          : outcome.reason instanceof Error
            ? outcome.reason.message
            : String(outcome.reason);
    });
    return {
      ready: outcomes.every((o) => o.status === "fulfilled"),
      checks,
    };
  }

  // The check's outcome within the bound; past it, a pass while it passed last time and is not yet
  // past the grace (the check goes on, and its outcome is kept for the next request).
  private async bounded(name: string): Promise<void> {
    const run = this.runOnce(name);
    try {
      await within(run, this.timeoutMs);
    } catch (error) {
      const inFlight = this.running.get(name);
      const slowButUp =
        inFlight !== undefined &&
        this.lastPassed.get(name) === true &&
        performance.now() - inFlight.startedAt < this.graceMs;
      if (!slowButUp) throw error;
    }
  }

  // A check still running from an earlier request is waited for again, not started twice.
  private runOnce(name: string): Promise<void> {
    let run = this.running.get(name);
    if (!run) {
      const done = (async () => this.checks.get(name)!())().then(
        () => void this.lastPassed.set(name, true),
        (error: unknown) => {
          this.lastPassed.set(name, false);
          throw error;
        },
      );
      run = {
        done: done.finally(() => this.running.delete(name)),
        startedAt: performance.now(),
      };
      this.running.set(name, run);
    }
    return run.done;
  }

  private async databaseAnswers(): Promise<void> {
    try {
      await this.orm.em.getConnection().execute("select 1");
    } catch (error) {
      throw new Error(
        `unreachable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  // Once every migration was seen applied it stays so: migrations are never undone under a running hub.
  private async migrationsApplied(): Promise<void> {
    if (this.migrationsCurrent) return;
    const table = this.orm.config.get("migrations").tableName;
    const rows = await this.orm.em
      .getConnection()
      .execute<{ name: string }[]>(`select name from ${table}`);
    const applied = new Set(rows.map((row) => row.name));
    const pending = migrations.filter((m) => !applied.has(m.name));
    if (pending.length)
      throw new Error(
        `pending: ${pending.map((m) => m.name).join(", ")} (run sshub migrate)`,
      );
    this.migrationsCurrent = true;
  }
}

import type { MikroORM } from "@mikro-orm/postgresql";
import { migrations } from "../migrations/index.js";

/** One condition of readiness: resolves when it holds, throws (or rejects) with the reason when not. */
export type ReadinessCheck = () => Promise<void> | void;

/** How long a check may take before it counts as failed, so `/readyz` answers within 100 ms. */
export const READINESS_CHECK_TIMEOUT_MS = 80;

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
 * worker, where one runs) holds. Each check is bounded by READINESS_CHECK_TIMEOUT_MS and at most one
 * of each runs at a time, so a load balancer polling a hub whose database hangs piles nothing up.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly running = new Map<string, Promise<void>>();
  private migrationsCurrent = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly timeoutMs = READINESS_CHECK_TIMEOUT_MS,
  ) {
    this.checks.set("database", () => this.databaseAnswers());
    this.checks.set("migrations", () => this.migrationsApplied());
  }

  /** Adds a condition under `name` (for example "worker": the jobs worker is running). */
  addCheck(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Runs every check at once and reports them. */
  async report(): Promise<ReadinessReport> {
    const names = [...this.checks.keys()];
    const outcomes = await Promise.allSettled(
      names.map((name) => within(this.runOnce(name), this.timeoutMs)),
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

  // A check still running from an earlier request is waited for again, not started twice.
  private runOnce(name: string): Promise<void> {
    let run = this.running.get(name);
    if (!run) {
      run = (async () => this.checks.get(name)!())().finally(() =>
        this.running.delete(name),
      );
      this.running.set(name, run);
    }
    return run;
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

import { Migration } from "@mikro-orm/migrations";
import { getConstructionPlans } from "pg-boss";
import { JOB_QUEUE_SCHEMA } from "../jobs/job-queue-schema.js";

/**
 * Import jobs: the `import_job` table (state, progress, report and, until the job ends, the uploaded
 * bytes) and the queue engine's own tables, pg-boss's schema `pgboss`, created here from pg-boss's
 * construction plan, so that the hub's migrations (and their lock) are the one thing that changes
 * the database. pg-boss itself starts with `migrate: false`; moving to a pg-boss release with a new
 * schema version is a new migration running `getMigrationPlans`.
 */
export class Migration20261201130000 extends Migration {
  override name = "Migration20261201130000";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "import_job" ("id" uuid not null, "state" text not null default 'QUEUED', "file_name" text not null, "sha256" text not null, "size_bytes" bigint not null, "content" bytea null, "options" jsonb not null, "queued_by" text not null, "queued_by_role" text not null, "progress" jsonb null, "attempts" int not null default 0, "worker" text null, "cancel_requested" boolean not null default false, "report" jsonb null, "import_run_id" int null, "reason" text null, "queued_at" timestamptz not null, "started_at" timestamptz null, "finished_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `create index "import_job_queued_by_state_index" on "import_job" ("queued_by", "state");`,
    );
    this.addSql(
      `alter table "import_job" add constraint "import_job_state_check" check ("state" in ('QUEUED', 'RUNNING', 'IMPORTED', 'CHECKED', 'REFUSED', 'FAILED', 'CANCELLED'));`,
    );
    this.addSql(
      `alter table "import_job" add constraint "import_job_queued_by_role_check" check ("queued_by_role" in ('VIEWER', 'ANALYST', 'FINANCE', 'ADMIN'));`,
    );
    // The plan is its own transaction (BEGIN … COMMIT); inside ours it runs as part of this migration.
    const plan = getConstructionPlans(JOB_QUEUE_SCHEMA)
      .trim()
      .replace(/^BEGIN;/, "")
      .replace(/COMMIT;$/, "");
    this.addSql(plan);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop schema if exists "${JOB_QUEUE_SCHEMA}" cascade;`);
    this.addSql(`drop table if exists "import_job" cascade;`);
  }
}

import { Migration } from "@mikro-orm/migrations";

/**
 * An upload's bytes move from one bytea value on `import_job` into `import_job_chunk`, a row per
 * chunk (jobs/upload-chunks.ts), so that POST /imports writes them while they arrive, in the
 * transaction that queues the job, instead of as one value after the upload has ended; a worker
 * reads them back a few chunks at a time. Storage `external`: the bytes are a workbook (zip) already,
 * which PostgreSQL's compression would only spend time on. Waiting jobs keep their bytes as chunk 0.
 */
export class Migration20261201152000 extends Migration {
  override name = "Migration20261201152000";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "import_job_chunk" ("job_id" uuid not null, "seq" integer not null, "bytes" bytea not null, constraint "import_job_chunk_pkey" primary key ("job_id", "seq"));`,
    );
    this.addSql(
      `alter table "import_job_chunk" alter column "bytes" set storage external;`,
    );
    this.addSql(
      `insert into "import_job_chunk" ("job_id", "seq", "bytes") select "id", 0, "content" from "import_job" where "content" is not null;`,
    );
    this.addSql(`alter table "import_job" drop column "content";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "import_job" add column "content" bytea null;`);
    this.addSql(
      `update "import_job" j set "content" = (select string_agg(c."bytes", ''::bytea order by c."seq") from "import_job_chunk" c where c."job_id" = j."id");`,
    );
    this.addSql(`drop table if exists "import_job_chunk";`);
  }
}

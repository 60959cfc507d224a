import { Migration } from "@mikro-orm/migrations";

/**
 * An import run whose process died is marked INTERRUPTED (by the next command, see
 * importers/import-run-lease.ts), with the reason it was found in the new `reason` column.
 */
export class Migration20261201100000 extends Migration {
  override name = "Migration20261201100000";

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "import_run" drop constraint if exists "import_run_status_check";`,
    );
    this.addSql(
      `alter table "import_run" add constraint "import_run_status_check" check ("status" in ('RUNNING', 'IMPORTED', 'IMPORTED_WITH_SKIPPED_ROWS', 'REFUSED', 'DRY_RUN', 'INTERRUPTED'));`,
    );
    this.addSql(`alter table "import_run" add column "reason" text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "import_run" drop column "reason";`);
    this.addSql(
      `update "import_run" set "status" = 'REFUSED' where "status" = 'INTERRUPTED';`,
    );
    this.addSql(
      `alter table "import_run" drop constraint if exists "import_run_status_check";`,
    );
    this.addSql(
      `alter table "import_run" add constraint "import_run_status_check" check ("status" in ('RUNNING', 'IMPORTED', 'IMPORTED_WITH_SKIPPED_ROWS', 'REFUSED', 'DRY_RUN'));`,
    );
  }
}

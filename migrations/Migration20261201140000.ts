import { Migration } from "@mikro-orm/migrations";

/**
 * The cells around an import run's problems (importers/problem-grids.ts), kept on the run so that
 * the page can draw them on a grid of the sheet once the upload is gone. Null for older runs.
 */
export class Migration20261201140000 extends Migration {
  override name = "Migration20261201140000";

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "import_run" add column "problem_grids" jsonb null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "import_run" drop column "problem_grids";`);
  }
}

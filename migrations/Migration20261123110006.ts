import { Migration } from "@mikro-orm/migrations";

export class Migration20261123110006 extends Migration {
  override name = "Migration20261123110006";

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "service" add "estimated_annual_saving" numeric(15,2) null;`,
    );

    this.addSql(`alter table "savings_figure" add "reported_by_id" int null;`);
    this.addSql(
      `alter table "savings_figure" add constraint "savings_figure_reported_by_id_foreign" foreign key ("reported_by_id") references "council" ("id") on delete set null;`,
    );
    this.addSql(
      `create index "savings_figure_reporting_period_reported_by_id_index" on "savings_figure" ("reporting_period", "reported_by_id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "savings_figure" drop constraint "savings_figure_reported_by_id_foreign";`,
    );

    this.addSql(
      `drop index "savings_figure_reporting_period_reported_by_id_index";`,
    );
    this.addSql(`alter table "savings_figure" drop column "reported_by_id";`);

    this.addSql(`alter table "service" drop column "estimated_annual_saving";`);
  }
}

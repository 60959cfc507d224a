import { Migration } from "@mikro-orm/migrations";

export class Migration20261123113648 extends Migration {
  override name = "Migration20261123113648";

  override up(): void | Promise<void> {
    this.addSql(
      `create index "savings_figure_council_latest_index" on "savings_figure" ("council_id", "service_id", "financial_year", "measure", "cashable", "reporting_period" desc);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "savings_figure_council_latest_index";`);
  }
}

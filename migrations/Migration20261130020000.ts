import { Migration } from "@mikro-orm/migrations";

/**
 * A savings figure's key (service, council, year, measure, cashable kind, reporting period, source)
 * becomes unique, so that imports write with ON CONFLICT; the unique index takes the place of the
 * council-latest index (same leading columns) and of the (council, year) index its prefix covers.
 * NULLS NOT DISTINCT needs PostgreSQL 15 or later.
 */
export class Migration20261130020000 extends Migration {
  override name = "Migration20261130020000";

  override up(): void | Promise<void> {
    this.addSql(
      `create unique index "savings_figure_key_unique" on "savings_figure" ("council_id", "service_id", "financial_year", "measure", "cashable", "reporting_period" desc, "reported_by_id") nulls not distinct;`,
    );
    this.addSql(`drop index "savings_figure_council_latest_index";`);
    this.addSql(`drop index "savings_figure_council_id_financial_year_index";`);
  }

  override down(): void | Promise<void> {
    this.addSql(
      `create index "savings_figure_council_id_financial_year_index" on "savings_figure" ("council_id", "financial_year");`,
    );
    this.addSql(
      `create index "savings_figure_council_latest_index" on "savings_figure" ("council_id", "service_id", "financial_year", "measure", "cashable", "reporting_period" desc);`,
    );
    this.addSql(`drop index "savings_figure_key_unique";`);
  }
}

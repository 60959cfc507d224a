import { Migration } from "@mikro-orm/migrations";
import { FIGURE_UNIQUE_INDEX_SQL } from "../schema/savings-figure-key.js";

/**
 * A savings figure's key (service, council, year, measure, cashable kind, reporting period, source)
 * becomes unique, so that imports write with ON CONFLICT; the unique index takes the place of the
 * council-latest index (same leading columns) and of the (council, year) index its prefix covers.
 * NULLS NOT DISTINCT needs PostgreSQL 15 or later. The index is built from the key's column list
 * (schema/savings-figure-key.ts), which the entity and the importer's ON CONFLICT use too.
 */
export class Migration20261130020000 extends Migration {
  override name = "Migration20261130020000";

  override up(): void | Promise<void> {
    this.addSql(`${FIGURE_UNIQUE_INDEX_SQL};`);
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

import { Migration } from "@mikro-orm/migrations";

/**
 * `savings_figure.from_service_list`: whether a figure is a service list's estimate (its
 * estimated-savings column, an ESTIMATE figure with no council) rather than a tracker's. The monthly
 * rule removes a source's figures of a month that a file no longer reports only among figures of
 * its own kind, so that a service list never removes a tracker's figures and a tracker never
 * removes a service list's estimates. Every figure stored before this came from a tracker.
 */
export class Migration20261201183000 extends Migration {
  override name = "Migration20261201183000";

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "savings_figure" add column "from_service_list" boolean not null default false;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "savings_figure" drop column "from_service_list";`,
    );
  }
}

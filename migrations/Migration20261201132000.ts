import { Migration } from "@mikro-orm/migrations";

/**
 * Import profiles: the answers an import was given, remembered for its workbook's shape (one
 * profile per shape), with the successful import run they came from.
 */
export class Migration20261201132000 extends Migration {
  override name = "Migration20261201132000";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "import_profile" ("id" serial primary key, "shape_key" text not null, "shape" jsonb not null, "answers" jsonb not null, "import_run_id" int not null, "file_name" text not null, "reporting_period" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "import_profile" add constraint "import_profile_shape_key_unique" unique ("shape_key");`,
    );
    this.addSql(
      `alter table "import_profile" add constraint "import_profile_import_run_id_foreign" foreign key ("import_run_id") references "import_run" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "import_profile" cascade;`);
  }
}

import { Migration } from "@mikro-orm/migrations";

export class Migration20261123103725 extends Migration {
  override name = "Migration20261123103725";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "council" ("id" serial primary key, "gss_code" text not null, "register_code" text null, "official_name" text not null, "short_name" text not null, "type" text not null, "start_date" date null, "end_date" date null, "alternative_names" text[] not null, "former_gss_codes" text[] not null);`,
    );
    this.addSql(
      `alter table "council" add constraint "council_gss_code_unique" unique ("gss_code");`,
    );
    this.addSql(
      `alter table "council" add constraint "council_register_code_unique" unique ("register_code");`,
    );
    this.addSql(
      `alter table "council" add constraint "council_type_check" check ("type" in ('COUNTY', 'NON_METROPOLITAN_DISTRICT', 'UNITARY', 'METROPOLITAN_DISTRICT', 'LONDON_BOROUGH'));`,
    );

    this.addSql(
      `create table "council_succession" ("predecessor_id" int not null, "successor_id" int not null, primary key ("predecessor_id", "successor_id"));`,
    );

    this.addSql(
      `create table "import_run" ("id" serial primary key, "file_name" text not null, "sha256" text not null, "kind" text not null, "reporting_period" text null, "status" text not null default 'RUNNING', "row_counts" jsonb not null, "problems" jsonb not null, "started_at" timestamptz not null, "finished_at" timestamptz null, "run_by" text not null);`,
    );
    this.addSql(
      `create index "import_run_sha256_index" on "import_run" ("sha256");`,
    );
    this.addSql(
      `alter table "import_run" add constraint "import_run_status_check" check ("status" in ('RUNNING', 'IMPORTED', 'IMPORTED_WITH_SKIPPED_ROWS', 'REFUSED', 'DRY_RUN'));`,
    );

    this.addSql(
      `create table "partnership" ("id" serial primary key, "import_run_id" int null, "source_sheet" text null, "source_cell" text null, "extra" jsonb null, "name" text not null, "alternative_names" text[] not null, "description" text null, "status" text not null default 'ACTIVE', "start_date" date null);`,
    );
    this.addSql(
      `alter table "partnership" add constraint "partnership_name_unique" unique ("name");`,
    );
    this.addSql(
      `alter table "partnership" add constraint "partnership_status_check" check ("status" in ('PROPOSED', 'ACTIVE', 'ENDED'));`,
    );

    this.addSql(
      `create table "membership" ("id" serial primary key, "import_run_id" int null, "source_sheet" text null, "source_cell" text null, "extra" jsonb null, "partnership_id" int not null, "council_id" int not null, "role" text not null default 'MEMBER', "cost_share_percent" numeric(7,4) null, "joined_on" date null, "left_on" date null);`,
    );
    this.addSql(
      `create index "membership_council_id_index" on "membership" ("council_id");`,
    );
    this.addSql(
      `alter table "membership" add constraint "membership_partnership_id_council_id_unique" unique ("partnership_id", "council_id");`,
    );
    this.addSql(
      `alter table "membership" add constraint "membership_role_check" check ("role" in ('MEMBER', 'HOST', 'LEAD'));`,
    );

    this.addSql(
      `create table "governance_body" ("id" serial primary key, "import_run_id" int null, "source_sheet" text null, "source_cell" text null, "extra" jsonb null, "name" text not null, "kind" text not null default 'OTHER', "partnership_id" int not null, "chair" text null, "notes" text null);`,
    );
    this.addSql(
      `alter table "governance_body" add constraint "governance_body_partnership_id_name_unique" unique ("partnership_id", "name");`,
    );
    this.addSql(
      `alter table "governance_body" add constraint "governance_body_kind_check" check ("kind" in ('JOINT_COMMITTEE', 'JOINT_BOARD', 'PROGRAMME_BOARD', 'STEERING_GROUP', 'CONSULTATIVE_FORUM', 'ADVISORY_PANEL', 'PROJECT_TEAM', 'OTHER'));`,
    );

    this.addSql(
      `create table "governance_seat" ("id" serial primary key, "import_run_id" int null, "source_sheet" text null, "source_cell" text null, "extra" jsonb null, "body_id" int not null, "council_id" int not null, "seats" int null, "role" text null);`,
    );
    this.addSql(
      `create index "governance_seat_council_id_index" on "governance_seat" ("council_id");`,
    );
    this.addSql(
      `alter table "governance_seat" add constraint "governance_seat_body_id_council_id_unique" unique ("body_id", "council_id");`,
    );

    this.addSql(
      `create table "funding_award" ("id" serial primary key, "import_run_id" int null, "source_sheet" text null, "source_cell" text null, "extra" jsonb null, "partnership_id" int not null, "funder" text not null, "amount" numeric(15,2) not null, "purpose" text null, "awarded_on" date null, "awarded_text" text null);`,
    );
    this.addSql(
      `create index "funding_award_partnership_id_index" on "funding_award" ("partnership_id");`,
    );

    this.addSql(
      `create table "service" ("id" serial primary key, "import_run_id" int null, "source_sheet" text null, "source_cell" text null, "extra" jsonb null, "name" text not null, "partnership_id" int not null, "category" text null, "status" text null, "status_text" text null, "host_council_id" int null, "host_role" text null, "governing_body_id" int null, "go_live_date" date null, "go_live_text" text null, "go_live_from" date null, "go_live_to" date null, "notes" text null);`,
    );
    this.addSql(
      `create index "service_governing_body_id_index" on "service" ("governing_body_id");`,
    );
    this.addSql(
      `create index "service_host_council_id_index" on "service" ("host_council_id");`,
    );
    this.addSql(
      `alter table "service" add constraint "service_partnership_id_name_unique" unique ("partnership_id", "name");`,
    );
    this.addSql(
      `alter table "service" add constraint "service_status_check" check ("status" in ('PROPOSED', 'APPROVED', 'IN_IMPLEMENTATION', 'LIVE', 'ENDED'));`,
    );
    this.addSql(
      `alter table "service" add constraint "service_host_role_check" check ("host_role" in ('MEMBER', 'HOST', 'LEAD'));`,
    );

    this.addSql(
      `create table "savings_figure" ("id" serial primary key, "import_run_id" int null, "source_sheet" text null, "source_cell" text null, "extra" jsonb null, "service_id" int not null, "council_id" int null, "financial_year" smallint not null, "measure" text not null, "cashable" boolean not null default true, "amount" numeric(15,2) not null, "reporting_period" text not null, "rag_status" text null);`,
    );
    this.addSql(
      `create index "savings_figure_import_run_id_index" on "savings_figure" ("import_run_id");`,
    );
    this.addSql(
      `create index "savings_figure_council_id_financial_year_index" on "savings_figure" ("council_id", "financial_year");`,
    );
    this.addSql(
      `create index "savings_figure_service_id_financial_year_reporting_period_index" on "savings_figure" ("service_id", "financial_year", "reporting_period");`,
    );
    this.addSql(
      `alter table "savings_figure" add constraint "savings_figure_measure_check" check ("measure" in ('TARGET', 'ESTIMATE', 'FORECAST', 'ACHIEVED'));`,
    );

    this.addSql(
      `alter table "council_succession" add constraint "council_succession_predecessor_id_foreign" foreign key ("predecessor_id") references "council" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "council_succession" add constraint "council_succession_successor_id_foreign" foreign key ("successor_id") references "council" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "partnership" add constraint "partnership_import_run_id_foreign" foreign key ("import_run_id") references "import_run" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "membership" add constraint "membership_import_run_id_foreign" foreign key ("import_run_id") references "import_run" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "membership" add constraint "membership_partnership_id_foreign" foreign key ("partnership_id") references "partnership" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "membership" add constraint "membership_council_id_foreign" foreign key ("council_id") references "council" ("id");`,
    );

    this.addSql(
      `alter table "governance_body" add constraint "governance_body_import_run_id_foreign" foreign key ("import_run_id") references "import_run" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "governance_body" add constraint "governance_body_partnership_id_foreign" foreign key ("partnership_id") references "partnership" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "governance_seat" add constraint "governance_seat_import_run_id_foreign" foreign key ("import_run_id") references "import_run" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "governance_seat" add constraint "governance_seat_body_id_foreign" foreign key ("body_id") references "governance_body" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "governance_seat" add constraint "governance_seat_council_id_foreign" foreign key ("council_id") references "council" ("id");`,
    );

    this.addSql(
      `alter table "funding_award" add constraint "funding_award_import_run_id_foreign" foreign key ("import_run_id") references "import_run" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "funding_award" add constraint "funding_award_partnership_id_foreign" foreign key ("partnership_id") references "partnership" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "service" add constraint "service_import_run_id_foreign" foreign key ("import_run_id") references "import_run" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "service" add constraint "service_partnership_id_foreign" foreign key ("partnership_id") references "partnership" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "service" add constraint "service_host_council_id_foreign" foreign key ("host_council_id") references "council" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "service" add constraint "service_governing_body_id_foreign" foreign key ("governing_body_id") references "governance_body" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "savings_figure" add constraint "savings_figure_import_run_id_foreign" foreign key ("import_run_id") references "import_run" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "savings_figure" add constraint "savings_figure_service_id_foreign" foreign key ("service_id") references "service" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "savings_figure" add constraint "savings_figure_council_id_foreign" foreign key ("council_id") references "council" ("id") on delete set null;`,
    );
  }
}

import { ReferenceKind, type EntityClass } from "@mikro-orm/core";
import { beforeAll, expect, it } from "vitest";
import { Council } from "../../../schema/council.js";
import { entities } from "../../../schema/entities.js";
import { Role } from "../../../schema/role.js";
import { SavingsMeasure } from "../../../schema/savings-measure.js";
import { saveImportProfile } from "../../../importers/import-profile-store.js";
import { workbookShape } from "../../../importers/workbook-shape.js";
import { createToken } from "../../../server/auth/token-service.js";
import { operatorCaller } from "../../../server/caller.js";
import {
  exactJsonSql,
  mapEntity,
  runSql,
  type Row,
} from "../../../server/loading/sql-rows.js";
import { GovernanceBody } from "../../../schema/governance-body.js";
import { Membership } from "../../../schema/membership.js";
import { Partnership } from "../../../schema/partnership.js";
import { useTestDatabase } from "../../support/test-database.js";
import { seedHub } from "../seed-hub.js";

const db = useTestDatabase();

beforeAll(async () => {
  await seedHub(db.orm.em.fork());
  // An ended import job (its bytes deleted, as every ended job's are).
  await db.orm.em.fork().execute(
    `insert into import_job (id, state, file_name, sha256, size_bytes, options, queued_by, queued_by_role, queued_at, finished_at)
       values (gen_random_uuid(), 'CHECKED', 'a.xlsx', 'ab', 1, '{"dryRun": true}', 'reader', 'ANALYST', now(), now())`,
  );
  // A token and its audit event: the tables with timestamps.
  await createToken(db.orm.em.fork(), {
    name: "reader",
    role: Role.VIEWER,
    councils: [],
    expires: "1d",
    createdBy: operatorCaller(),
  });
  // Remembered answers of the seeded import run: the table with json columns and a required link.
  const em = db.orm.em.fork();
  const [run] = await em
    .getConnection()
    .execute<{ id: number }[]>(`select id from import_run order by id limit 1`);
  await saveImportProfile(em, {
    shape: workbookShape([{ name: "tracker", header: ["service", "amount"] }]),
    answers: { measure: SavingsMeasure.FORECAST },
    importRunId: run!.id,
    fileName: "tracker 06-2010.xlsx",
    reportingPeriod: "2010-06",
  });
});

it("reads every entity's rows to the same values as the ORM's own hydration, relations as { id }", async () => {
  const em = db.orm.em.fork();
  let compared = 0;
  for (const entity of entities as EntityClass<object>[]) {
    const meta = em.getMetadata().find(entity);
    if (!meta || meta.abstract) continue;
    const rows = await runSql(
      em,
      `select * from ${meta.tableName} order by id`,
    );
    const managed = (await em
      .fork()
      .find(entity, {}, { orderBy: { id: "asc" } } as never)) as Record<
      string,
      unknown
    >[];
    expect(rows.length, meta.className).toBe(managed.length);
    expect(rows.length, meta.className).toBeGreaterThan(0);
    rows.forEach((row, i) => {
      const read = mapEntity(em, entity, row) as Record<string, unknown>;
      const expected = managed[i]!;
      expect(read).toBeInstanceOf(entity);
      for (const prop of meta.props) {
        const where = `${meta.className}.${prop.name}`;
        if (prop.kind === ReferenceKind.SCALAR)
          expect(read[prop.name] ?? null, where).toEqual(
            expected[prop.name] ?? null,
          );
        else if (prop.kind === ReferenceKind.MANY_TO_ONE)
          expect(read[prop.name] ?? null, where).toEqual(
            expected[prop.name]
              ? { id: (expected[prop.name] as { id: number }).id }
              : null,
          );
      }
      compared++;
    });
  }
  expect(compared).toBeGreaterThan(400);
});

it("reads a council, partnership or governance body joined into another row as JSON (to_jsonb) to the same values as its own row", async () => {
  const em = db.orm.em.fork();
  for (const entity of [
    Council,
    Partnership,
    GovernanceBody,
  ] as EntityClass<object>[]) {
    const table = em.getMetadata().get(entity).tableName;
    const rows = await runSql(
      em,
      `select t.*, to_jsonb(t) as _joined from ${table} t order by id`,
    );
    expect(rows.length, table).toBeGreaterThan(0);
    for (const row of rows)
      expect(mapEntity(em, entity, row._joined as Row), table).toEqual(
        mapEntity(em, entity, row),
      );
  }
});

it("reads any entity's row folded into JSON (exactJsonSql), whole or some of its columns, to the same values as its own row, decimals exact", async () => {
  const em = db.orm.em.fork();
  // A cost share whose trailing zero a JSON number would drop.
  await em.execute(
    "update membership set cost_share_percent = 12.5000 where id = (select min(id) from membership)",
  );
  let compared = 0;
  for (const entity of entities as EntityClass<object>[]) {
    const meta = em.getMetadata().find(entity);
    if (!meta || meta.abstract) continue;
    // Every other column, named: what a selection of some fields folds.
    const some = meta.props
      .filter(
        (prop) =>
          prop.persist !== false &&
          prop.fieldNames?.[0] &&
          (prop.kind === ReferenceKind.SCALAR ||
            prop.kind === ReferenceKind.MANY_TO_ONE),
      )
      .map((prop) => prop.fieldNames[0]!)
      .filter((_, i) => i % 2 === 0)
      .sort();
    const rows = await runSql(
      em,
      `select t.*, ${exactJsonSql(em, entity, "t")} as _joined, ${exactJsonSql(em, entity, "t", some)} as _some
       from ${meta.tableName} t order by id`,
    );
    for (const row of rows) {
      expect(mapEntity(em, entity, row._joined as Row), meta.className).toEqual(
        mapEntity(em, entity, row),
      );
      const folded = mapEntity(em, entity, row._some as Row, some);
      expect(folded, meta.className).toEqual(mapEntity(em, entity, row, some));
      expect(Object.keys(folded).length, meta.className).toBeLessThan(
        Object.keys(mapEntity(em, entity, row)).length,
      );
      compared++;
    }
  }
  expect(compared).toBeGreaterThan(400);
  const [share] = await runSql(
    em,
    `select ${exactJsonSql(em, Membership, "m")} as _joined from membership m where cost_share_percent = 12.5`,
  );
  expect(
    mapEntity(em, Membership, share!._joined as Row).costSharePercent,
  ).toBe("12.5000");
  const [folded] = await runSql(
    em,
    `select ${exactJsonSql(em, Membership, "m", ["cost_share_percent", "id"])} as _joined from membership m where cost_share_percent = 12.5`,
  );
  expect(
    mapEntity(em, Membership, folded!._joined as Row, [
      "cost_share_percent",
      "id",
    ]),
  ).toEqual({
    id: share!._joined && (share!._joined as Row).id,
    costSharePercent: "12.5000",
  });
});

it("keeps the entity's getters and leaves the ORM out: nothing read is managed or tracked", async () => {
  const em = db.orm.em.fork();
  const [row] = await runSql(
    em,
    "select * from council where end_date is not null limit 1",
  );
  const council = mapEntity(em, Council, row!);
  expect(council.current).toBe(false);
  expect(Object.keys(council)).toContain("gssCode");
  expect(em.getUnitOfWork().getIdentityMap().values()).toHaveLength(0);
});

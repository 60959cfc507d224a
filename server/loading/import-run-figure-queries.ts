import type { EntityManager } from "@mikro-orm/postgresql";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { mapEntity, runSql } from "./sql-rows.js";

/** The first `first` savings figures import run `runId` wrote that are still held, in sheet order. */
export async function figuresOfRun(
  em: EntityManager,
  runId: number,
  first: number,
): Promise<SavingsFigure[]> {
  const rows = await runSql(
    em,
    "select f.* from savings_figure f where f.import_run_id = ? order by f.id limit ?",
    [runId, first],
  );
  return rows.map((row) => mapEntity(em, SavingsFigure, row));
}

/** How many savings figures import run `runId` wrote that are still held. */
export async function figureCountOfRun(
  em: EntityManager,
  runId: number,
): Promise<number> {
  const rows = await runSql<{ n: number }>(
    em,
    "select count(*)::int as n from savings_figure f where f.import_run_id = ?",
    [runId],
  );
  return rows[0]?.n ?? 0;
}

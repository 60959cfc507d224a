import type { TestDatabase } from "../../support/test-database.js";

/**
 * The figures an import run stored, one line each: service, council's GSS code ("-" for a figure
 * of the partnership as a whole), year, measure and exact amount, in order, so a test compares
 * what was written as a list.
 */
export async function storedFigureLines(
  db: TestDatabase,
  runId: number,
): Promise<string[]> {
  const rows = await db.orm.em
    .fork()
    .getConnection()
    .execute<{ figure: string }[]>(
      `select concat_ws(' ', s.name, coalesce(c.gss_code, '-'), f.financial_year, f.measure, f.amount::text) as figure
       from savings_figure f join service s on s.id = f.service_id left join council c on c.id = f.council_id
       where f.import_run_id = ? order by 1`,
      [runId],
    );
  return rows.map((r) => r.figure);
}

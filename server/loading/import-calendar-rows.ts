import type { EntityManager } from "@mikro-orm/postgresql";
import type { AccessScope } from "../auth/access-scope.js";

/** How many figures one run wrote for one partnership and month. */
export interface ImportMonthRow {
  partnershipId: number;
  reportingPeriod: string;
  importRunId: number | null;
  figures: number;
}

/**
 * The savings figures held per partnership, reporting month and import run, in `[from, to]`
 * (YYYY-MM), and each partnership's first month with figures: one statement each, scoped to the
 * caller's partnerships.
 */
export async function importMonthRows(
  em: EntityManager,
  scope: AccessScope,
  from: string,
  to: string,
): Promise<{ rows: ImportMonthRow[]; firstMonths: Map<number, string> }> {
  const connection = em.getConnection();
  const scoped = scope.partnershipCondition("s.partnership_id");
  const visible = scoped
    ? { sql: `and ${scoped.sql}`, params: scoped.params }
    : { sql: "", params: [] };
  const rows = await connection.execute<
    {
      partnership_id: number;
      reporting_period: string;
      import_run_id: number | null;
      figures: string;
    }[]
  >(
    `select s.partnership_id, f.reporting_period, f.import_run_id, count(*) as figures
       from savings_figure f join service s on s.id = f.service_id
      where f.reporting_period between ? and ? ${visible.sql}
      group by 1, 2, 3 order by 1, 2, 3`,
    [from, to, ...visible.params],
  );
  const first = await connection.execute<
    { partnership_id: number; first: string }[]
  >(
    `select s.partnership_id, min(f.reporting_period) as first
       from savings_figure f join service s on s.id = f.service_id
      where true ${visible.sql} group by 1`,
    visible.params,
  );
  return {
    rows: rows.map((r) => ({
      partnershipId: r.partnership_id,
      reportingPeriod: r.reporting_period,
      importRunId: r.import_run_id,
      figures: Number(r.figures),
    })),
    firstMonths: new Map(first.map((r) => [r.partnership_id, r.first])),
  };
}

/** The latest reporting month with savings figures the caller may see; null when there are none. */
export async function latestFigureMonth(
  em: EntityManager,
  scope: AccessScope,
): Promise<string | null> {
  const scoped = scope.partnershipCondition("s.partnership_id");
  const visible = scoped
    ? { sql: `where ${scoped.sql}`, params: scoped.params }
    : { sql: "", params: [] };
  const rows = await em.getConnection().execute<{ latest: string | null }[]>(
    `select max(f.reporting_period) as latest
       from savings_figure f join service s on s.id = f.service_id ${visible.sql}`,
    visible.params,
  );
  return rows[0]?.latest ?? null;
}

/** At most this many dry and refused runs are listed in a range: a month table, not an audit log. */
export const MAX_CHECK_RUNS = 500;

/**
 * The ids and months of the dry runs and refused runs of reporting months `[from, to]`, oldest
 * first, that the caller may see (AccessScope.importRunCondition: national callers only, since
 * they wrote nothing a partnership holds): one statement.
 */
export async function checkRunRows(
  em: EntityManager,
  scope: AccessScope,
  from: string,
  to: string,
): Promise<{ importRunId: number; reportingPeriod: string }[]> {
  const visible = scope.importRunCondition("r");
  const rows = await em
    .getConnection()
    .execute<{ id: number; reporting_period: string }[]>(
      `select r.id, r.reporting_period from import_run r
        where r.status in ('DRY_RUN', 'REFUSED') and r.reporting_period between ? and ?
          ${visible ? `and ${visible.sql}` : ""}
        order by r.started_at, r.id limit ${MAX_CHECK_RUNS}`,
      [from, to, ...(visible?.params ?? [])],
    );
  return rows.map((r) => ({
    importRunId: r.id,
    reportingPeriod: r.reporting_period,
  }));
}

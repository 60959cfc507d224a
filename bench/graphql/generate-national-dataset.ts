import type pg from "pg";

/** How big the generated hub is. */
export interface DatasetSize {
  partnerships: number;
  servicesPerPartnership: number;
  membersPerPartnership: number;
}

/** The national-scale dataset of issue 4: 1,000 partnerships, 10,000 services, 200,000 savings figures. */
export const NATIONAL_SCALE: DatasetSize = {
  partnerships: 1_000,
  servicesPerPartnership: 10,
  membersPerPartnership: 4,
};

/**
 * Replaces every partnership (and, by cascade, its memberships, services, governance, funding and
 * savings) with a generated national dataset, in set-based SQL (seconds, not minutes). Councils
 * are the real register's current councils. Each service gets 20 savings figures: five financial
 * years, the partnership's total and the host's share, each reported in March and again in September
 * (so every second figure has a movement). Deterministic: the same size gives the same rows.
 */
export async function generateNationalDataset(
  client: pg.Client,
  size: DatasetSize = NATIONAL_SCALE,
): Promise<Record<string, number>> {
  await client.query("begin");
  await client.query(
    "truncate partnership, import_run restart identity cascade",
  );
  await client.query(
    `insert into import_run (file_name, sha256, kind, reporting_period, status, row_counts, problems, started_at, run_by)
     values ('national-bench.xlsx', repeat('0', 64), 'savings', '2018-09', 'IMPORTED', '{}', '[]', now(), 'bench')`,
  );
  await client.query(
    `insert into partnership (name, alternative_names, description, status, start_date, import_run_id)
     select format('Partnership %s', lpad(i::text, 4, '0')), '{}', format('Generated partnership %s', i),
       case when i % 10 = 0 then 'PROPOSED' when i % 25 = 0 then 'ENDED' else 'ACTIVE' end,
       date '2008-04-01' + (i % 3000), 1
     from generate_series(1, $1::int) i`,
    [size.partnerships],
  );
  // Members: councils spread over the register so each council sits in about a dozen partnerships.
  await client.query(
    `with current as (select id, row_number() over (order by gss_code) - 1 as n, count(*) over () as total
                      from council where end_date is null)
     insert into membership (partnership_id, council_id, role, cost_share_percent, import_run_id)
     select p.id, c.id, case when k = 0 then 'HOST' else 'MEMBER' end,
       round(100.0 / $1::int, 4), 1
     from partnership p cross join generate_series(0, $1::int - 1) k
     join current c on c.n = (p.id * 7 + k * 53) % c.total`,
    [size.membersPerPartnership],
  );
  await client.query(
    `insert into governance_body (name, kind, partnership_id, chair, import_run_id)
     select 'Joint Committee', 'JOINT_COMMITTEE', p.id, 'Rotating leader', 1 from partnership p`,
  );
  await client.query(
    `insert into governance_seat (body_id, council_id, seats, role, import_run_id)
     select b.id, m.council_id, 2, 'Leader and Deputy Leader', 1
     from governance_body b join membership m on m.partnership_id = b.partnership_id`,
  );
  await client.query(
    `insert into funding_award (partnership_id, funder, amount, purpose, awarded_on, import_run_id)
     select p.id, 'Transformation Challenge Fund', (10000 + p.id * 37)::numeric(15,2) + 0.25,
       'Business case', date '2014-05-01' + (p.id % 365), 1 from partnership p`,
  );
  await client.query(
    `insert into service (name, partnership_id, category, status, status_text, host_council_id, host_role,
                          governing_body_id, go_live_text, import_run_id)
     select format('Service %s', lpad(k::text, 2, '0')), p.id,
       (array['Back office', 'Front line', 'Regulatory'])[1 + k % 3],
       (array['LIVE', 'IN_IMPLEMENTATION', 'APPROVED', 'PROPOSED'])[1 + k % 4],
       'as written', m.council_id, 'HOST', b.id, 'mid 2012', 1
     from partnership p cross join generate_series(0, $1::int - 1) k
     join lateral (select council_id from membership where partnership_id = p.id
                   order by id offset k % $2::int limit 1) m on true
     join governance_body b on b.partnership_id = p.id`,
    [size.servicesPerPartnership, size.membersPerPartnership],
  );
  await client.query(
    `insert into savings_figure (service_id, council_id, financial_year, measure, cashable, amount,
                                 reporting_period, rag_status, source_sheet, source_cell, import_run_id)
     select s.id, case when g = 0 then null else s.host_council_id end, 2013 + y,
       case when y % 2 = 0 then 'ACHIEVED' else 'FORECAST' end, y <> 3,
       ((s.id * 7919 + y * 104729 + g * 31 + r * 17) % 9000000)::numeric / 100,
       format('%s-%s', 2014 + y, case when r = 0 then '03' else '09' end),
       (array['Green', 'Amber', 'Red'])[1 + (s.id + y) % 3], 'Savings', format('D%s', 7 + y), 1
     from service s cross join generate_series(0, 4) y cross join generate_series(0, 1) g
       cross join generate_series(0, 1) r`,
  );
  await client.query("commit");
  await client.query("analyze");
  const counts: Record<string, number> = {};
  for (const table of [
    "council",
    "partnership",
    "membership",
    "service",
    "governance_body",
    "governance_seat",
    "funding_award",
    "savings_figure",
  ]) {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from ${table}`,
    );
    counts[table] = rows[0]!.n;
  }
  return counts;
}

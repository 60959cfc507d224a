/** One benchmarked request: a GraphQL operation and the hand-written SQL that returns the same data. */
export interface BenchQuery {
  name: string;
  graphql: string;
  variables: Record<string, unknown>;
  /** One SQL statement returning the same data (as JSON): the floor the API is compared against. */
  floorSql: string;
  floorParams: unknown[];
}

/** The latest figure per group, with its movement, for the floors (the same rules and plan as the API). */
const LATEST = (where: string, limit: number) => `
  select distinct on (f.service_id, f.financial_year, f.measure, f.cashable, coalesce(f.council_id, 0))
    f.id, f.amount, f.reporting_period, f.measure, f.cashable, f.financial_year, f.service_id,
    f.amount - (select prev.amount from savings_figure prev
      where prev.service_id = f.service_id and prev.financial_year = f.financial_year
        and prev.measure = f.measure and prev.cashable = f.cashable
        and prev.council_id is not distinct from f.council_id and prev.reporting_period < f.reporting_period
      order by prev.reporting_period desc limit 1) as movement
  from (select * from savings_figure f where ${where} offset 0) f
  order by f.service_id, f.financial_year, f.measure, f.cashable, coalesce(f.council_id, 0),
    f.reporting_period desc, f.id desc
  limit ${limit}`;

/** The fixed query set: a council page, a partnership page, the national savings summary, a deep nested list. */
export function benchQueries(ids: {
  councilCode: string;
  partnershipGlobalId: string;
  partnershipId: number;
}): BenchQuery[] {
  return [
    {
      name: "council page",
      graphql: `query ($code: String!) { council(code: $code) { id gssCode officialName type current
        predecessors { gssCode officialName }
        memberships(first: 20) { totalCount edges { node { role costSharePercent partnership { id name status } } } }
        hostedServices(first: 20) { totalCount edges { node { id name status partnership { name } } } }
        governanceSeats { seats body { name } }
        savings(first: 20, financialYear: "2015/16") { totalCount edges { node {
          amount { amount } movement { amount } reportingPeriod measure cashable service { name } } } }
      } }`,
      variables: { code: ids.councilCode },
      floorSql: `with c as (select * from council where gss_code = $1)
        select json_build_object(
          'council', (select row_to_json(c) from c),
          'predecessors', (select json_agg(json_build_object('gss', p.gss_code, 'name', p.official_name) order by p.gss_code)
             from council_succession cs join council p on p.id = cs.predecessor_id where cs.successor_id = (select id from c)),
          'memberships', (select json_agg(x) from (select m.role, m.cost_share_percent, p.id, p.name, p.status
             from membership m join partnership p on p.id = m.partnership_id where m.council_id = (select id from c)
             order by p.name, m.id limit 20) x),
          'membershipCount', (select count(*) from membership where council_id = (select id from c)),
          'hosted', (select json_agg(x) from (select s.id, s.name, s.status, p.name as partnership
             from service s join partnership p on p.id = s.partnership_id where s.host_council_id = (select id from c)
             order by s.name, s.id limit 20) x),
          'hostedCount', (select count(*) from service where host_council_id = (select id from c)),
          'seats', (select json_agg(json_build_object('seats', gs.seats, 'body', b.name) order by b.name, gs.id)
             from governance_seat gs join governance_body b on b.id = gs.body_id where gs.council_id = (select id from c)),
          'savings', (select json_agg(x) from (select l.*, s.name from (${LATEST("f.council_id = (select id from c) and f.financial_year = 2015", 20)}) l
             join service s on s.id = l.service_id) x),
          'savingsCount', (select count(*) from (select distinct f.service_id, f.measure, f.cashable from savings_figure f
             where f.council_id = (select id from c) and f.financial_year = 2015) t))`,
      floorParams: [ids.councilCode],
    },
    {
      name: "partnership page",
      graphql: `query ($id: ID!) { partnership(id: $id) { id name status description
        members { role costSharePercent council { gssCode shortName } }
        services(first: 20) { totalCount edges { node { id name status category
          hostCouncil { shortName } governingBody { name } } } }
        governanceBodies { name kind seats { seats council { shortName } } }
        fundingAwards { funder amount { amount } }
        savingsSummary { financialYear measures { measure cashable { amount } nonCashable { amount } total { amount }
          byCouncil { council { shortName } total { amount } } } }
      } }`,
      variables: { id: ids.partnershipGlobalId },
      floorSql: `with p as (select * from partnership where id = $1),
        latest as (select distinct on (f.service_id, f.financial_year, f.measure, f.cashable, coalesce(f.council_id, 0))
            f.service_id, f.council_id, f.financial_year, f.measure, f.cashable, f.amount
          from savings_figure f join service s on s.id = f.service_id where s.partnership_id = $1
          order by f.service_id, f.financial_year, f.measure, f.cashable, coalesce(f.council_id, 0), f.reporting_period desc, f.id desc),
        per_service as (select service_id, financial_year, measure, cashable,
            coalesce(sum(amount) filter (where council_id is null), sum(amount)) as amount
          from latest group by 1, 2, 3, 4)
        select json_build_object(
          'partnership', (select row_to_json(p) from p),
          'members', (select json_agg(json_build_object('role', m.role, 'share', m.cost_share_percent, 'gss', c.gss_code, 'name', c.short_name)
             order by c.short_name, c.gss_code) from membership m join council c on c.id = m.council_id where m.partnership_id = $1),
          'services', (select json_agg(x) from (select s.id, s.name, s.status, s.category, h.short_name as host, b.name as body
             from service s left join council h on h.id = s.host_council_id left join governance_body b on b.id = s.governing_body_id
             where s.partnership_id = $1 order by s.name, s.id limit 20) x),
          'serviceCount', (select count(*) from service where partnership_id = $1),
          'bodies', (select json_agg(json_build_object('name', b.name, 'kind', b.kind, 'seats',
             (select json_agg(json_build_object('seats', gs.seats, 'council', c.short_name) order by c.short_name)
              from governance_seat gs join council c on c.id = gs.council_id where gs.body_id = b.id)) order by b.name)
             from governance_body b where b.partnership_id = $1),
          'funding', (select json_agg(json_build_object('funder', funder, 'amount', amount) order by awarded_on, id)
             from funding_award where partnership_id = $1),
          'summary', (select json_agg(x) from (select financial_year, measure,
               sum(amount) filter (where cashable) as cashable, sum(amount) filter (where not cashable) as non_cashable,
               sum(amount) as total from per_service group by 1, 2 order by 1, 2) x),
          'byCouncil', (select json_agg(x) from (select l.financial_year, l.measure, c.short_name, sum(l.amount) as total
             from latest l join council c on c.id = l.council_id group by 1, 2, 3 order by 1, 2, 3) x))`,
      floorParams: [ids.partnershipId],
    },
    {
      name: "national savings summary",
      graphql: `{ savingsSummary(financialYear: "2015/16") { financialYear measures { measure
        cashable { amount } nonCashable { amount } total { amount }
        byCouncil { council { gssCode shortName } cashable { amount } nonCashable { amount } total { amount } } } } }`,
      variables: {},
      floorSql: `with latest as (select distinct on (f.service_id, f.financial_year, f.measure, f.cashable, coalesce(f.council_id, 0))
            f.service_id, f.council_id, f.financial_year, f.measure, f.cashable, f.amount
          from savings_figure f where f.financial_year = 2015
          order by f.service_id, f.financial_year, f.measure, f.cashable, coalesce(f.council_id, 0), f.reporting_period desc, f.id desc),
        per_service as (select service_id, measure, cashable,
            coalesce(sum(amount) filter (where council_id is null), sum(amount)) as amount from latest group by 1, 2, 3)
        select json_build_object(
          'measures', (select json_agg(x) from (select measure, sum(amount) filter (where cashable) as cashable,
             sum(amount) filter (where not cashable) as non_cashable, sum(amount) as total from per_service group by 1 order by 1) x),
          'byCouncil', (select json_agg(x) from (select l.measure, c.gss_code, c.short_name,
             sum(l.amount) filter (where l.cashable) as cashable, sum(l.amount) filter (where not l.cashable) as non_cashable,
             sum(l.amount) as total from latest l join council c on c.id = l.council_id group by 1, 2, 3 order by 1, 3) x))`,
      floorParams: [],
    },
    {
      name: "deep nested list",
      graphql: `{ partnerships(first: 100) { totalCount edges { cursor node { id name
        services(first: 10) { totalCount edges { node { id name
          hostCouncil { gssCode shortName
            savings(first: 5) { totalCount edges { node { id amount { amount } movement { amount } reportingPeriod } } } }
        } } }
      } } } }`,
      variables: {},
      floorSql: `select json_build_object('total', (select count(*) from partnership), 'partnerships', (select json_agg(x) from (
          select p.id, p.name, (select count(*) from service where partnership_id = p.id) as service_count,
            (select json_agg(y) from (select s.id, s.name,
               (select json_build_object('gss', c.gss_code, 'name', c.short_name,
                  'count', (select count(*) from (select distinct f.service_id, f.financial_year, f.measure, f.cashable
                            from savings_figure f where f.council_id = c.id) t),
                  'savings', (select json_agg(z) from (${LATEST("f.council_id = c.id", 5)}) z))
                from council c where c.id = s.host_council_id) as host
             from service s where s.partnership_id = p.id order by s.name, s.id limit 10) y) as services
          from partnership p order by p.name, p.id limit 100) x))`,
      floorParams: [],
    },
  ];
}

import { toGlobalId } from "../../schema/global-id.js";
import {
  latestFigurePerSourceSql,
  sameFigureAndSourceSql,
} from "../../schema/savings-figure-key.js";

/** A GraphQL operation and its variables. */
export interface GraphqlRequest {
  graphql: string;
  variables: Record<string, unknown>;
}

/**
 * One benchmarked request: the hub's operation, PostGraphile's operation for the same data (or why
 * PostGraphile cannot express it), and the hand-written SQL that returns the same data.
 */
export interface BenchQuery {
  name: string;
  hub: GraphqlRequest;
  /** Selects the same objects as `hub`, field for field in the same order, so their ids compare. */
  postgraphile: GraphqlRequest | { cannot: string };
  /** One SQL statement returning the same data (as JSON): the floor the API is compared against. */
  floorSql: string;
  floorParams: unknown[];
}

/** What the queries ask for, picked from the generated dataset. */
export interface BenchIds {
  /** The council with the most memberships. */
  councilCode: string;
  /** The 501st partnership by name. */
  partnershipId: number;
}

/** The most PostgreSQL connections each server (hub, PostGraphile, floor) may hold. */
export const BENCH_POOL_SIZE = 20;

/**
 * The bench servers' pools never close an idle connection (0 turns pg-pool's idle timeout off), so
 * the PostgreSQL backends whose CPU the runner reads before a run are still there at its end, and no
 * run pays for the connections another run let go.
 */
export const BENCH_POOL_IDLE_TIMEOUT_MS = 0;

/** The latest report of each figure and source, with its movement, for the floors (the API's rule, from savings-figure-key.ts). */
const LATEST = (
  where: string,
  limit?: number,
  columns = `f.id, f.amount, f.reporting_period, f.measure, f.cashable, f.financial_year, f.service_id,
    ${MOVEMENT("f")} as movement`,
) => `
  select distinct on (${latestFigurePerSourceSql("f").distinctOn}) ${columns}
  from (select * from savings_figure f where ${where} offset 0) f
  order by ${latestFigurePerSourceSql("f").orderBy}
  ${limit === undefined ? "" : `limit ${limit}`}`;

/** A figure's change from the same figure and source's previous report (exact numeric), as the API defines movement. */
const MOVEMENT = (
  f: string,
) => `${f}.amount - (select prev.amount from savings_figure prev
      where ${sameFigureAndSourceSql("prev", f)} and prev.reporting_period < ${f}.reporting_period
      order by prev.reporting_period desc limit 1)`;

/**
 * What PostGraphile needs to express the hub's savings lists: SQL functions, the way PostGraphile
 * adds logic (a function taking a table row becomes a field of that type). `Council.latestSavings`
 * is the latest report of each figure for a council, in the hub's order; `SavingsFigure.movement`
 * its change from the previous report. Installed in the bench database only.
 */
export const PEER_FUNCTIONS_SQL = `
  create or replace function council_latest_savings(c council) returns setof savings_figure
    language sql stable as $$ ${LATEST("f.council_id = c.id", undefined, "f.*")} $$;
  create or replace function savings_figure_movement(f savings_figure) returns numeric
    language sql stable as $$ select ${MOVEMENT("f")} $$;`;

/**
 * The fixed query set: (a) a deep list, (b) a council page, (c) a council's first savings figures,
 * and the partnership page and national summary, which PostGraphile cannot express.
 */
export function benchQueries(ids: BenchIds): BenchQuery[] {
  return [
    {
      name: "deep list",
      hub: {
        graphql: `{ partnerships(first: 100) { totalCount edges { cursor node { id name
          services(first: 10) { totalCount edges { node { id name hostCouncil { id gssCode shortName } } } }
        } } } }`,
        variables: {},
      },
      postgraphile: {
        graphql: `{ partnerships(first: 100, orderBy: [NAME_ASC, PRIMARY_KEY_ASC]) { totalCount edges { cursor node { id name
          services(first: 10, orderBy: [NAME_ASC, PRIMARY_KEY_ASC]) { totalCount edges { node { id name hostCouncil { id gssCode shortName } } } }
        } } } }`,
        variables: {},
      },
      floorSql: `select json_build_object('total', (select count(*) from partnership), 'partnerships', (select json_agg(x) from (
          select p.id, p.name, (select count(*) from service where partnership_id = p.id) as service_count,
            (select json_agg(y) from (select s.id, s.name, h.id as host_id, h.gss_code, h.short_name
               from service s left join council h on h.id = s.host_council_id
               where s.partnership_id = p.id order by s.name, s.id limit 10) y) as services
          from partnership p order by p.name, p.id limit 100) x))`,
      floorParams: [],
    },
    {
      name: "council page",
      hub: {
        graphql: `query ($code: String!) { council(code: $code) { id gssCode officialName
          memberships(first: 20) { totalCount edges { node { id role costSharePercent partnership { id name status } } } }
          hostedServices(first: 20) { totalCount edges { node { id name status partnership { id name } } } }
        } }`,
        variables: { code: ids.councilCode },
      },
      // Memberships are in partnership name order; PostGraphile's orderBy names only the
      // membership's own columns, and partnership ids follow name order in the generated data.
      postgraphile: {
        graphql: `query ($code: String!) { councilByGssCode(gssCode: $code) { id gssCode officialName
          memberships(first: 20, orderBy: [PARTNERSHIP_ID_ASC, PRIMARY_KEY_ASC]) { totalCount edges { node { id role costSharePercent partnership { id name status } } } }
          servicesByHostCouncilId(first: 20, orderBy: [NAME_ASC, PRIMARY_KEY_ASC]) { totalCount edges { node { id name status partnership { id name } } } }
        } }`,
        variables: { code: ids.councilCode },
      },
      floorSql: `with c as (select * from council where gss_code = $1)
        select json_build_object(
          'council', (select json_build_object('id', id, 'gss', gss_code, 'name', official_name) from c),
          'memberships', (select json_agg(x) from (select m.id, m.role, m.cost_share_percent, p.id as partnership_id, p.name, p.status
             from membership m join partnership p on p.id = m.partnership_id where m.council_id = (select id from c)
             order by p.name, m.id limit 20) x),
          'membershipCount', (select count(*) from membership where council_id = (select id from c)),
          'hosted', (select json_agg(x) from (select s.id, s.name, s.status, p.id as partnership_id, p.name as partnership
             from service s join partnership p on p.id = s.partnership_id where s.host_council_id = (select id from c)
             order by s.name, s.id limit 20) x),
          'hostedCount', (select count(*) from service where host_council_id = (select id from c)))`,
      floorParams: [ids.councilCode],
    },
    {
      name: "council savings",
      hub: {
        graphql: `query ($code: String!) { council(code: $code) { id
          savings(first: 50) { edges { cursor node { id financialYear measure cashable reportingPeriod
            amount { amount } movement { amount } } } }
        } }`,
        variables: { code: ids.councilCode },
      },
      postgraphile: {
        graphql: `query ($code: String!) { councilByGssCode(gssCode: $code) { id
          latestSavings(first: 50) { edges { cursor node { id financialYear measure cashable reportingPeriod
            amount movement } } }
        } }`,
        variables: { code: ids.councilCode },
      },
      floorSql: `select json_agg(x) from (${LATEST("f.council_id = (select id from council where gss_code = $1)", 50)}) x`,
      floorParams: [ids.councilCode],
    },
    {
      name: "partnership page",
      hub: {
        graphql: `query ($id: ID!) { partnership(id: $id) { id name status description
        members { role costSharePercent council { gssCode shortName } }
        services(first: 20) { totalCount edges { node { id name status category
          hostCouncil { shortName } governingBody { name } } } }
        governanceBodies { name kind seats { seats council { shortName } } }
        fundingAwards { funder amount { amount } }
        savingsSummary { financialYear measures { measure cashable { amount } nonCashable { amount } total { amount }
          byCouncil { council { shortName } total { amount } } } }
      } }`,
        variables: { id: toGlobalId("Partnership", ids.partnershipId) },
      },
      postgraphile: {
        cannot:
          "savingsSummary sums the latest report of each figure per year, measure and council; PostGraphile would need that whole query written as a SQL function (the floor itself), and members are ordered by the council's name, a related column its orderBy cannot name",
      },
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
      hub: {
        graphql: `{ savingsSummary(financialYear: "2015/16") { financialYear measures { measure
        cashable { amount } nonCashable { amount } total { amount }
        byCouncil { council { gssCode shortName } cashable { amount } nonCashable { amount } total { amount } } } } }`,
        variables: {},
      },
      postgraphile: {
        cannot:
          "exact sums of the latest report of each figure, with partnership totals counted instead of their councils' shares: an aggregate PostGraphile has no field for short of writing the floor as a SQL function",
      },
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
  ];
}

import DataLoader from "dataloader";
import type { EntityClass } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { Council } from "../schema/council.js";
import { FundingAward } from "../schema/funding-award.js";
import { GovernanceBody } from "../schema/governance-body.js";
import { GovernanceSeat } from "../schema/governance-seat.js";
import { ImportRun } from "../schema/import-run.js";
import { Membership } from "../schema/membership.js";
import { Partnership } from "../schema/partnership.js";
import { SavingsFigure } from "../schema/savings-figure.js";
import type { AccessScope } from "./auth/access-scope.js";
import { Service } from "../schema/service.js";
import {
  childListSql,
  loadChildPages,
  parentIdList,
  type ChildPage,
  type ChildQuery,
  type ParentIds,
} from "./loading/child-pages.js";
import {
  councilHostedServicesQuery,
  councilMembershipsQuery,
  councilServicesQuery,
  type CouncilListRows,
} from "./loading/council-queries.js";
import type {
  ChildPrefetch,
  RootValuePrefetch,
} from "./loading/root-with-children.js";
import type { Columns } from "./loading/selected-columns.js";
import {
  countNestedSavings,
  figureReportsQuery,
  nestedSavingsPageRows,
  savingsMovements,
  savingsSummaryJsonSql,
  savingsSummaryRows,
  type SavingsFilter,
  type SavingsParent,
  type SummaryRow,
} from "./loading/savings-queries.js";
import {
  carryMovement,
  savingsFigureOfRow,
} from "./loading/savings-figure-rows.js";
import {
  bodySeatsQuery,
  partnershipFundingQuery,
  partnershipGovernanceBodiesQuery,
  partnershipMembersQuery,
} from "./loading/partnership-queries.js";
import {
  partnershipServicesQuery,
  type ServiceJoins,
} from "./loading/service-queries.js";
import { PrimedLoader } from "./loading/primed-loader.js";
import { groupByKey, mapEntity, runSql, type Row } from "./loading/sql-rows.js";
import type { SavingsKey } from "./pagination/savings-cursor.js";

/** Which page of a nested offset-paged list each parent wants. */
export interface ChildWindow {
  offset: number;
  limit: number;
}

/**
 * The per-request DataLoaders: every link between objects goes through one of them, so a query
 * costs one batch (one SQL statement) per field per level, however many rows each level returns.
 * Loaders whose result depends on arguments (pages, filters) are made once per distinct arguments.
 */
export interface Loaders {
  /** A council's successors, by council id. */
  councilSuccessors: DataLoader<number, Council[]>;
  /** A council's predecessors, by council id. */
  councilPredecessors: DataLoader<number, Council[]>;
  /** Objects by database id (null when absent). */
  council: DataLoader<number, Council | null>;
  partnership: DataLoader<number, Partnership | null>;
  service: DataLoader<number, Service | null>;
  governanceBody: DataLoader<number, GovernanceBody | null>;
  importRun: DataLoader<number, ImportRun | null>;
  /** A service's partnership, by service id (for links that skip the service). */
  partnershipOfService: DataLoader<number, Partnership | null>;
  /** A partnership's memberships, by partnership id, in council name order. */
  partnershipMembers: DataLoader<number, Membership[]>;
  /** A partnership's governance bodies, by partnership id, in name order. */
  partnershipGovernanceBodies: DataLoader<number, GovernanceBody[]>;
  /** A partnership's funding awards, by partnership id, earliest first. */
  partnershipFunding: DataLoader<number, FundingAward[]>;
  /** A governance body's seats, by body id, in council name order. */
  bodySeats: DataLoader<number, GovernanceSeat[]>;
  /** The services a governance body governs, by body id, in name order. */
  bodyServices: DataLoader<number, Service[]>;
  /** A council's governance seats, by council id, in body name order. */
  councilSeats: DataLoader<number, GovernanceSeat[]>;
  /** The member councils of a service's partnership, by service id, in name order. */
  servicePartnerCouncils: DataLoader<number, Council[]>;
  /** A savings figure's change from the previous reporting period (exact decimal), by figure id. */
  savingsMovement: DataLoader<number, string | null>;
  /** Hands the councils a savings summary's per-council lines carry (`_council`) to `council`. */
  primeSummaryCouncils(rows: readonly SummaryRow[]): void;
  /** A page of every report of a savings figure across months (oldest first), by figure id. */
  figureReports(
    window: ChildWindow,
  ): PrimedLoader<number, ChildPage<SavingsFigure>>;
  /** A page of a partnership's services, by partnership id, with the selected links joined in. */
  partnershipServices(
    window: ChildWindow,
    joins: ServiceJoins,
  ): PrimedLoader<number, ChildPage<Service>>;
  /** A page of the services a council hosts, by council id, with what the selection reads. */
  councilHostedServices(
    window: ChildWindow,
    rows: CouncilListRows,
  ): PrimedLoader<number, ChildPage<Service>>;
  /** A page of the services a council takes part in (as member or host), by council id. */
  councilServices(
    window: ChildWindow,
  ): PrimedLoader<number, ChildPage<Service>>;
  /** A page of a council's memberships, by council id, in partnership name order, with what the selection reads. */
  councilMemberships(
    window: ChildWindow,
    rows: CouncilListRows,
  ): PrimedLoader<number, ChildPage<Membership>>;
  /**
   * The child lists a root field can read in its own statement (loadRootWithChildren): the same
   * query, order and loader as the child field's, so its resolver then finds the page loaded.
   */
  prefetch: {
    councilMemberships(
      window: ChildWindow,
      rows: CouncilListRows,
    ): ChildPrefetch;
    councilHostedServices(
      window: ChildWindow,
      rows: CouncilListRows,
    ): ChildPrefetch;
    councilServices(window: ChildWindow): ChildPrefetch;
    partnershipServices(
      window: ChildWindow,
      joins: ServiceJoins,
    ): ChildPrefetch;
    partnershipMembers(): ChildPrefetch;
    /** With `seats`, each body's seats (and their councils) come back with it, into `bodySeats`. */
    partnershipGovernanceBodies(seats: boolean): ChildPrefetch;
    partnershipFunding(): ChildPrefetch;
    /** A partnership's savings summary lines (with their councils), into `savingsSummary(filter)`. */
    partnershipSavingsSummary(
      filter: Pick<SavingsFilter, "financialYear" | "asOf" | "scope">,
    ): RootValuePrefetch;
  };
  /** A keyset page of a parent's latest savings figures (`limit` rows at most), by parent id. */
  savings(
    parent: SavingsParent,
    filter: SavingsFilter,
    after: SavingsKey | null,
    limit: number,
    columns: Columns,
  ): DataLoader<number, SavingsFigure[]>;
  /** How many latest savings figures a parent's list holds, by parent id. */
  savingsCount(
    parent: SavingsParent,
    filter: SavingsFilter,
  ): DataLoader<number, number>;
  /** A partnership's savings summary lines, by partnership id. */
  savingsSummary(
    filter: Pick<SavingsFilter, "financialYear" | "asOf" | "scope">,
  ): DataLoader<number, SummaryRow[]>;
}

/** Makes a fresh set of loaders for one request, bound to that request's EntityManager. */
export function createLoaders(em: EntityManager, scope: AccessScope): Loaders {
  const perArguments = new Map<string, PrimedLoader<number, unknown>>();
  function keyed<V>(
    name: string,
    args: unknown,
    batch: (ids: readonly number[]) => Promise<V[]>,
  ): PrimedLoader<number, V> {
    const key = `${name}:${JSON.stringify(args)}`;
    let loader = perArguments.get(key);
    if (!loader) {
      loader = new PrimedLoader<number, V>(batch);
      perArguments.set(key, loader);
    }
    return loader as PrimedLoader<number, V>;
  }
  // The lists of a selection's rows or joins (the same object for every parent of a level): their
  // loaders and prefetches made once, not once per parent.
  const perSelection = <S extends object, L>(make: (selection: S) => L) => {
    const made = new WeakMap<S, L>();
    return (selection: S): L => {
      let list = made.get(selection);
      if (!list) {
        list = make(selection);
        made.set(selection, list);
      }
      return list;
    };
  };
  const list = <T extends object>(
    entity: EntityClass<T>,
    sql: string,
    prime?: (row: Row) => void,
  ): DataLoader<number, T[]> =>
    new DataLoader(async (ids) => {
      const rows = await runSql<Row & { _parent_id: number }>(em, sql, [ids]);
      if (prime) for (const row of rows) prime(row);
      return groupByKey(
        ids,
        rows.map((row) => ({
          key: row._parent_id,
          value: mapEntity(em, entity, row),
        })),
      );
    });
  // A list's loader per window, found by the window alone once made (each parent of a level asks).
  const pages = <T extends object>(
    name: string,
    entity: EntityClass<T>,
    query: (ids: readonly number[]) => ChildQuery,
  ) => {
    const byWindow = new Map<string, PrimedLoader<number, ChildPage<T>>>();
    return (window: ChildWindow) => {
      const key = `${window.offset}:${window.limit}`;
      let loader = byWindow.get(key);
      if (!loader) {
        loader = keyed(name, [window.offset, window.limit], (ids) =>
          loadChildPages(
            em,
            entity,
            ids,
            query(ids),
            window.offset,
            window.limit,
          ),
        );
        byWindow.set(key, loader);
      }
      return loader;
    };
  };
  // A child list that a root statement can also read (see `prefetch`): its loader per window, and
  // the prefetch that primes that very loader.
  const childList = <T extends object>(
    name: string,
    entity: EntityClass<T>,
    query: (parents: ParentIds) => ChildQuery,
  ) => {
    const loader = pages(name, entity, (ids) => query(parentIdList(ids)));
    const prefetch = (
      window: ChildWindow,
      columns: Columns = null,
    ): ChildPrefetch => ({
      entity,
      query,
      columns,
      offset: window.offset,
      limit: window.limit,
      prime: (id, page) =>
        (loader(window) as PrimedLoader<number, ChildPage<object>>).prime(
          id,
          page,
        ),
    });
    return { loader, prefetch };
  };
  // A list that is not paged (every child of each parent, in the list's order), which a root
  // statement can also read: its loader and the prefetch that primes it.
  const wholeList = <T extends object>(
    entity: EntityClass<T>,
    query: (parents: ParentIds) => ChildQuery,
  ) => {
    const loader = new DataLoader<number, T[]>(async (ids) => {
      const listQuery = query(parentIdList(ids));
      const { sql, params } = childListSql(listQuery);
      const rows = await runSql<Row & { _parent_id: number }>(em, sql, params);
      return groupByKey(
        ids,
        rows.map((row) => {
          const value = mapEntity(em, entity, row);
          listQuery.prime?.(row, value);
          return { key: row._parent_id, value };
        }),
      );
    });
    const prefetch = (
      of: (parents: ParentIds) => ChildQuery = query,
    ): ChildPrefetch => ({
      entity,
      query: of,
      offset: 0,
      limit: null,
      prime: (id, page) => loader.prime(id, page.items as T[]),
    });
    return { loader, prefetch };
  };

  const partnership = byId(em, Partnership);
  const council = byId(em, Council);
  const governanceBody = byId(em, GovernanceBody);
  // A page whose rows carry their whole partnership hands it to the partnership loader, so the
  // page's `partnership` links cost no statement of their own.
  const primePartnership = (row: Row) =>
    partnership.prime(row.id as number, mapEntity(em, Partnership, row));

  // Lists in their rows' council's name order carry that council too (`_council`, its row as JSON).
  const primeCouncil = (row: Row) => {
    const joined = row._council as Row;
    council.prime(joined.id as number, mapEntity(em, Council, joined));
  };

  // A council's lists, a loader per window and per what the selection reads (CouncilListRows).
  const councilMemberships = perSelection((rows: CouncilListRows) =>
    childList(
      `councilMemberships:${JSON.stringify(rows)}`,
      Membership,
      (parents) => councilMembershipsQuery(em, parents, rows, primePartnership),
    ),
  );
  const councilHostedServices = perSelection((rows: CouncilListRows) =>
    childList(
      `councilHostedServices:${JSON.stringify(rows)}`,
      Service,
      (parents) =>
        councilHostedServicesQuery(em, parents, rows, primePartnership),
    ),
  );
  const councilServices = childList(
    "councilServices",
    Service,
    councilServicesQuery,
  );
  const partnershipServices = perSelection((joins: ServiceJoins) =>
    childList(
      `partnershipServices:${JSON.stringify(joins)}`,
      Service,
      (parents) =>
        partnershipServicesQuery(em, parents, joins, {
          council: (row) =>
            council.prime(row.id as number, mapEntity(em, Council, row)),
          governanceBody: (row) =>
            governanceBody.prime(
              row.id as number,
              mapEntity(em, GovernanceBody, row),
            ),
        }),
    ),
  );

  const partnershipMembers = wholeList(Membership, (parents) =>
    partnershipMembersQuery(parents, primeCouncil),
  );
  const bodySeats = wholeList(GovernanceSeat, (parents) =>
    bodySeatsQuery(parents, primeCouncil),
  );
  const partnershipGovernanceBodies = wholeList(
    GovernanceBody,
    partnershipGovernanceBodiesQuery,
  );
  // Seat rows read with their body (`_seats`) go to the seats loader, their councils to the council loader.
  const seatsWithBodies = {
    em,
    prime(body: Row, seats: Row[]) {
      for (const seat of seats) primeCouncil(seat);
      bodySeats.loader.prime(
        body.id as number,
        seats.map((seat) => mapEntity(em, GovernanceSeat, seat)),
      );
    },
  };
  const partnershipFunding = wholeList(FundingAward, partnershipFundingQuery);

  const savingsMovement = new DataLoader<number, string | null>(async (ids) => {
    const rows = await savingsMovements(em, ids);
    const byId = new Map(rows.map((row) => [row.id, row.movement]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const primeSummaryCouncils = (rows: readonly SummaryRow[]) => {
    for (const row of rows) if (row._council) primeCouncil(row);
  };
  const savingsSummary = (
    filter: Pick<SavingsFilter, "financialYear" | "asOf" | "scope">,
  ) =>
    keyed("savingsSummary", filter, async (ids) => {
      const rows = await savingsSummaryRows(em, ids, filter);
      primeSummaryCouncils(rows);
      return groupByKey(
        ids,
        rows.map((row) => ({ key: row.scope, value: row })),
      );
    });

  return {
    primeSummaryCouncils,
    councilSuccessors: list(
      Council,
      `select cs.predecessor_id as _parent_id, c.* from council_succession cs
       join council c on c.id = cs.successor_id where cs.predecessor_id in (?) order by c.gss_code`,
    ),
    councilPredecessors: list(
      Council,
      `select cs.successor_id as _parent_id, c.* from council_succession cs
       join council c on c.id = cs.predecessor_id where cs.successor_id in (?) order by c.gss_code`,
    ),
    council,
    partnership,
    service: byId(em, Service),
    governanceBody,
    // Import runs are scoped like savings: a council-bound caller sees a run only when every record
    // it wrote belongs to its partnerships; otherwise the link reads null.
    importRun: new DataLoader(async (ids) => {
      const visible = scope.importRunCondition("r");
      const rows = await runSql(
        em,
        `select r.* from import_run r where r.id in (?)${visible ? ` and ${visible.sql}` : ""}`,
        [[...ids], ...(visible?.params ?? [])],
      );
      const byRunId = new Map(
        rows.map((row) => [row.id as number, mapEntity(em, ImportRun, row)]),
      );
      return ids.map((id) => byRunId.get(id) ?? null);
    }),
    partnershipOfService: new DataLoader(async (ids) => {
      const rows = await runSql<Row & { _parent_id: number }>(
        em,
        `select s.id as _parent_id, p.* from service s join partnership p on p.id = s.partnership_id
         where s.id in (?)`,
        [ids],
      );
      const byService = new Map(
        rows.map((row) => [row._parent_id, mapEntity(em, Partnership, row)]),
      );
      return ids.map((id) => byService.get(id) ?? null);
    }),
    partnershipMembers: partnershipMembers.loader,
    partnershipGovernanceBodies: partnershipGovernanceBodies.loader,
    partnershipFunding: partnershipFunding.loader,
    bodySeats: bodySeats.loader,
    bodyServices: list(
      Service,
      `select s.governing_body_id as _parent_id, s.* from service s
       where s.governing_body_id in (?) order by s.name, s.id`,
    ),
    councilSeats: list(
      GovernanceSeat,
      `select gs.council_id as _parent_id, gs.* from governance_seat gs join governance_body b on b.id = gs.body_id
       where gs.council_id in (?) order by b.name, gs.id`,
    ),
    servicePartnerCouncils: list(
      Council,
      `select s.id as _parent_id, c.* from service s
       join membership m on m.partnership_id = s.partnership_id join council c on c.id = m.council_id
       where s.id in (?) order by c.short_name, c.gss_code`,
    ),
    savingsMovement,
    figureReports: pages("figureReports", SavingsFigure, (ids) => ({
      ...figureReportsQuery(ids, scope),
      prime: (row, item) => carryMovement(item as SavingsFigure, row),
    })),
    partnershipServices: (window, joins) =>
      partnershipServices(joins).loader(window),
    councilHostedServices: (window, rows) =>
      councilHostedServices(rows).loader(window),
    councilServices: councilServices.loader,
    councilMemberships: (window, rows) =>
      councilMemberships(rows).loader(window),
    prefetch: {
      councilMemberships: (window, rows) =>
        councilMemberships(rows).prefetch(window, rows.columns),
      councilHostedServices: (window, rows) =>
        councilHostedServices(rows).prefetch(window, rows.columns),
      councilServices: councilServices.prefetch,
      partnershipServices: (window, joins) =>
        partnershipServices(joins).prefetch(window, joins.columns),
      partnershipMembers: () => partnershipMembers.prefetch(),
      partnershipGovernanceBodies: (seats) =>
        partnershipGovernanceBodies.prefetch(
          seats
            ? (parents) =>
                partnershipGovernanceBodiesQuery(parents, seatsWithBodies)
            : undefined,
        ),
      partnershipFunding: () => partnershipFunding.prefetch(),
      partnershipSavingsSummary: (filter) => ({
        query: (parent) => savingsSummaryJsonSql(parent, filter),
        prime: (id, lines) => {
          primeSummaryCouncils(lines as SummaryRow[]);
          savingsSummary(filter).prime(id, lines as SummaryRow[]);
        },
      }),
    },
    savings: (parent, filter, after, limit, columns) =>
      keyed(
        `savings:${parent}`,
        [filter, after, limit, columns],
        async (ids) => {
          const rows = await nestedSavingsPageRows(
            em,
            parent,
            ids,
            filter,
            after,
            limit,
            columns,
          );
          return groupByKey(
            ids,
            rows.map((row) => ({
              key: row._parent_id as number,
              value: savingsFigureOfRow(em, row, columns),
            })),
          );
        },
      ),
    savingsCount: (parent, filter) =>
      keyed(`savingsCount:${parent}`, filter, async (ids) => {
        const rows = await countNestedSavings(em, parent, ids, filter);
        const counts = new Map(rows.map((row) => [row._parent_id, row.n]));
        return ids.map((id) => counts.get(id) ?? 0);
      }),
    savingsSummary,
  };
}

/** Objects of one entity by database id, in one statement per batch, read as plain rows (see mapEntity). */
function byId<T extends { id: number }>(
  em: EntityManager,
  entity: EntityClass<T>,
): DataLoader<number, T | null> {
  const table = em.getMetadata().get(entity).tableName;
  return new DataLoader(async (ids) => {
    const rows = await runSql(em, `select * from ${table} where id in (?)`, [
      ids,
    ]);
    const map = new Map(
      rows.map((row) => [row.id as number, mapEntity(em, entity, row)]),
    );
    return ids.map((id) => map.get(id) ?? null);
  });
}

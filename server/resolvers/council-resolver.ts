import { raw, type EntityClass, type FilterQuery } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { GraphQLResolveInfo } from "graphql";
import {
  Arg,
  Args,
  Ctx,
  FieldResolver,
  Info,
  Int,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { NotFoundError } from "../../errors/hub-error.js";
import { Council } from "../../schema/council.js";
import type { Context } from "../context.js";
import { childPage } from "./child-page.js";
import {
  pageWindow,
  toConnection,
  type ConnectionShape,
} from "../pagination/connection.js";
import {
  CouncilConnection,
  MembershipConnection,
  SavingsFigureConnection,
  ServiceConnection,
} from "../pagination/connection-types.js";
import { GovernanceSeat } from "../../schema/governance-seat.js";
import { Membership } from "../../schema/membership.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { Service } from "../../schema/service.js";
import { mapEntity } from "../loading/sql-rows.js";
import {
  councilByCodeQuery,
  councilListRowsOf,
  type CouncilListRows,
} from "../loading/council-queries.js";
import { selectedColumns } from "../loading/selected-columns.js";
import {
  loadRootWithChildren,
  type ChildPrefetch,
} from "../loading/root-with-children.js";
import type { ChildWindow, Loaders } from "../loaders.js";
import {
  selectedChildLists,
  selectedPageWindows,
  selectionOf,
} from "../pagination/selects-field.js";
import { PageArgs, SavingsFilterArgs } from "./arguments.js";
import {
  councilWithSavings,
  nestedSavings,
  SAVINGS_ORDER,
} from "./nested-savings.js";

/**
 * The pages of a council's lists that the request selects, to read in the council's own
 * statement: the memberships and hosted services one per window and per what their selection
 * reads (each response key's resolver works out the same, see councilListRowsOf).
 */
function selectedCouncilPages(
  em: EntityManager,
  info: GraphQLResolveInfo,
  { prefetch }: Loaders,
): ChildPrefetch[] {
  const lists = (
    field: string,
    entity: EntityClass<object>,
    prefetchOf: (window: ChildWindow, rows: CouncilListRows) => ChildPrefetch,
  ) => {
    const distinct = new Map<string, ChildPrefetch>();
    for (const { selection, offset, limit } of selectedChildLists(info, [
      field,
    ])) {
      const rows = councilListRowsOf(em, entity, selection);
      const key = JSON.stringify([offset, limit, rows]);
      if (!distinct.has(key))
        distinct.set(key, prefetchOf({ offset, limit }, rows));
    }
    return [...distinct.values()];
  };
  return [
    ...lists("memberships", Membership, prefetch.councilMemberships),
    ...lists("hostedServices", Service, prefetch.councilHostedServices),
    ...selectedPageWindows(info, ["services"]).map((window) =>
      prefetch.councilServices(window),
    ),
  ];
}

/** Root queries and links of councils. */
@Resolver(() => Council)
export class CouncilResolver {
  @Query(() => Council, {
    description:
      "One council by its GSS code (e.g. E06000049) or 3-letter register code (e.g. CHE).",
  })
  async council(
    @Arg("code", () => String, {
      description: "GSS code or 3-letter register code, any case.",
    })
    code: string,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Council> {
    // A council's savings page comes back in the council's own statement when it is selected;
    // otherwise the pages of its other lists that are selected do.
    const withSavings = await councilWithSavings(context, code, info);
    if (withSavings === null) throw NotFoundError.councilCode(code);
    if (withSavings) return withSavings;
    const { em, loaders } = context;
    // The council goes to this request's fields alone (not to a loader): its selected columns.
    const columns = selectedColumns(em, Council, selectionOf(info));
    const [row] = await loadRootWithChildren(
      em,
      councilByCodeQuery(code, columns),
      selectedCouncilPages(em, info, loaders),
    );
    if (!row) throw NotFoundError.councilCode(code);
    return mapEntity(em, Council, row, columns);
  }

  @Query(() => CouncilConnection, {
    description:
      "Councils, current and former, sorted by short name then GSS code; `search` matches names and codes.",
  })
  async councils(
    @Ctx() { em }: Context,
    @Arg("search", () => String, {
      nullable: true,
      description:
        "Part of a name (official, short or alternative) or a code, any case.",
    })
    search?: string | null,
    @Arg("current", () => Boolean, {
      nullable: true,
      description: "True: only current councils; false: only former ones.",
    })
    current?: boolean | null,
    @Arg("first", () => Int, {
      nullable: true,
      description: "Page size: 0 to 100, default 20.",
    })
    first?: number | null,
    @Arg("after", () => String, {
      nullable: true,
      description: "Cursor of the item after which the page starts.",
    })
    after?: string | null,
  ): Promise<ConnectionShape<Council>> {
    const { offset, limit } = pageWindow(first, after);
    const where: FilterQuery<Council>[] = [];
    const text = search?.trim();
    if (text) {
      const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push({
        $or: [
          { officialName: { $ilike: pattern } },
          { shortName: { $ilike: pattern } },
          { gssCode: { $ilike: pattern } },
          { registerCode: { $ilike: pattern } },
          {
            [raw(
              (alias: string) =>
                `array_to_string(${alias}.alternative_names, '|')`,
            )]: { $ilike: pattern },
          } as FilterQuery<Council>,
        ],
      });
    }
    if (current === true) where.push({ endDate: null });
    if (current === false) where.push({ endDate: { $ne: null } });
    const [items, total] = await em.findAndCount(
      Council,
      { $and: where },
      { orderBy: { shortName: "asc", gssCode: "asc" }, limit, offset },
    );
    return toConnection(items, offset, total);
  }

  @FieldResolver(() => [Council], {
    description:
      "The councils that took over from this one (Congleton → Cheshire East).",
  })
  successors(
    @Root() council: Council,
    @Ctx() { loaders }: Context,
  ): Promise<Council[]> {
    return loaders.councilSuccessors.load(council.id);
  }

  @FieldResolver(() => [Council], {
    description:
      "The councils this one took over from (Cheshire East ← Congleton).",
  })
  predecessors(
    @Root() council: Council,
    @Ctx() { loaders }: Context,
  ): Promise<Council[]> {
    return loaders.councilPredecessors.load(council.id);
  }

  @FieldResolver(() => MembershipConnection, {
    description:
      "The council's memberships of partnerships (each with the partnership, role and cost share), in partnership name order.",
  })
  memberships(
    @Root() council: Council,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() { em, loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ): ConnectionShape<Membership> | Promise<ConnectionShape<Membership>> {
    const rows = councilListRowsOf(em, Membership, selectionOf(info));
    return childPage(
      (window) => loaders.councilMemberships(window, rows),
      council.id,
      args,
    );
  }

  @FieldResolver(() => ServiceConnection, {
    description: "The services the council hosts or leads, in name order.",
  })
  hostedServices(
    @Root() council: Council,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() { em, loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ): ConnectionShape<Service> | Promise<ConnectionShape<Service>> {
    const rows = councilListRowsOf(em, Service, selectionOf(info));
    return childPage(
      (window) => loaders.councilHostedServices(window, rows),
      council.id,
      args,
    );
  }

  @FieldResolver(() => ServiceConnection, {
    description:
      "The services the council takes part in: those of the partnerships it is a member of, and those it hosts; in name order.",
  })
  services(
    @Root() council: Council,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() { loaders }: Context,
  ): ConnectionShape<Service> | Promise<ConnectionShape<Service>> {
    return childPage(
      (window) => loaders.councilServices(window),
      council.id,
      args,
    );
  }

  @FieldResolver(() => [GovernanceSeat], {
    description:
      "The council's seats on governance bodies, in body name order.",
  })
  governanceSeats(
    @Root() council: Council,
    @Ctx() { loaders }: Context,
  ): Promise<GovernanceSeat[]> {
    return loaders.councilSeats.load(council.id);
  }

  @FieldResolver(() => SavingsFigureConnection, {
    description: `Savings figures reported for this council (not partnerships' own totals): ${SAVINGS_ORDER}.`,
  })
  async savings(
    @Root() council: Council,
    @Args(() => SavingsFilterArgs) args: SavingsFilterArgs,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<SavingsFigure>> {
    return nestedSavings(context, "council", council.id, args, info);
  }
}

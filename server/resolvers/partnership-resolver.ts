import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Info,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import {
  getArgumentValues,
  isObjectType,
  type GraphQLResolveInfo,
} from "graphql";
import type { EntityManager } from "@mikro-orm/postgresql";
import { NotFoundError } from "../../errors/hub-error.js";
import { FinancialYearScalar } from "../../schema/financial-year.js";
import { FundingAward } from "../../schema/funding-award.js";
import { fromGlobalId } from "../../schema/global-id.js";
import { GovernanceBody } from "../../schema/governance-body.js";
import { ImportRun } from "../../schema/import-run.js";
import { Membership } from "../../schema/membership.js";
import { Partnership, PartnershipStatus } from "../../schema/partnership.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { SavingsSummary } from "../../schema/savings-summary.js";
import { Service } from "../../schema/service.js";
import type { Context } from "../context.js";
import { childPage } from "./child-page.js";
import { serviceJoinsOf } from "../loading/service-queries.js";
import { selectedColumns } from "../loading/selected-columns.js";
import { mapEntity } from "../loading/sql-rows.js";
import {
  partnershipByIdQuery,
  partnershipsListQuery,
} from "../loading/partnership-queries.js";
import {
  loadRootWithChildren,
  type ChildPrefetch,
  type RootValuePrefetch,
} from "../loading/root-with-children.js";
import type { SavingsFilter } from "../loading/savings-queries.js";
import type { AccessScope } from "../auth/access-scope.js";
import type { Loaders } from "../loaders.js";
import {
  selectedChildLists,
  selectionOf,
  selectsField,
  selectsPath,
  subSelection,
} from "../pagination/selects-field.js";
import { type ConnectionShape } from "../pagination/connection.js";
import {
  PartnershipConnection,
  SavingsFigureConnection,
  ServiceConnection,
} from "../pagination/connection-types.js";
import { offsetList } from "../pagination/offset-list.js";
import {
  COUNCIL_CODE_ARGUMENT,
  councilIdByCode,
  PageArgs,
  SavingsFilterArgs,
} from "./arguments.js";
import { nestedSavings, SAVINGS_ORDER } from "./nested-savings.js";
import { parseReportingPeriodArgument } from "../../schema/reporting-period.js";
import { IMPORT_RUN_LINK, importRunOf } from "./import-run-of.js";
import { toSavingsSummaries } from "./savings-summaries.js";

/** Filters of the partnerships list. */
@ArgsType()
export class PartnershipsArgs extends PageArgs {
  @Field(() => String, {
    nullable: true,
    description: `Only partnerships this council is a member of. ${COUNCIL_CODE_ARGUMENT}`,
  })
  council?: string | null;

  @Field(() => PartnershipStatus, {
    nullable: true,
    description: "Only partnerships with this status.",
  })
  status?: PartnershipStatus | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Part of the name, an alternative name or the description, any case.",
  })
  search?: string | null;
}

/**
 * The pages of services a selection of partnerships (at `path`) selects under each partnership,
 * to read in the partnerships' statement: one per response key (alias), each with the columns and
 * links that selection reads, as the `services` resolver of that key works them out.
 */
function selectedServicePages(
  em: EntityManager,
  info: GraphQLResolveInfo,
  path: readonly string[],
  { prefetch }: Loaders,
): ChildPrefetch[] {
  return selectedChildLists(info, path).map(({ selection, ...window }) =>
    prefetch.partnershipServices(window, serviceJoinsOf(em, selection)),
  );
}

/**
 * The lists a partnership page selects (members, pages of services with the links they select,
 * governance bodies with their seats, funding awards), to read in the partnership's own statement.
 */
function selectedPartnershipLists(
  em: EntityManager,
  info: GraphQLResolveInfo,
  loaders: Loaders,
): ChildPrefetch[] {
  const { prefetch } = loaders;
  return [
    ...(selectsField(info, "members") ? [prefetch.partnershipMembers()] : []),
    ...selectedServicePages(em, info, ["services"], loaders),
    ...(selectsField(info, "governanceBodies")
      ? [
          prefetch.partnershipGovernanceBodies(
            selectsPath(info, ["governanceBodies", "seats"]),
          ),
        ]
      : []),
    ...(selectsField(info, "fundingAwards")
      ? [prefetch.partnershipFunding()]
      : []),
  ];
}

/** What a partnership's `savingsSummary(financialYear:, asOf:)` asks the summary loader for (refuses a bad `asOf`). */
function summaryFilter(
  scope: AccessScope,
  financialYear: number | null | undefined,
  asOf: string | null | undefined,
): Pick<SavingsFilter, "financialYear" | "asOf" | "scope"> {
  return {
    scope,
    financialYear: financialYear ?? null,
    asOf: parseReportingPeriodArgument(asOf, "asOf"),
  };
}

/**
 * The savings summaries a partnership page selects, one per distinct arguments, to read in the
 * partnership's own statement. Selections whose arguments are refused are left out: the field's
 * resolver reports the error at its own path.
 */
function selectedSummaries(
  info: GraphQLResolveInfo,
  { prefetch }: Loaders,
  scope: AccessScope,
): RootValuePrefetch[] {
  const type = info.schema.getType("Partnership");
  const definition = isObjectType(type)
    ? type.getFields().savingsSummary
    : undefined;
  if (!definition) return [];
  const filters = new Map<string, ReturnType<typeof summaryFilter>>();
  for (const node of subSelection(selectionOf(info), ["savingsSummary"])
    .nodes) {
    try {
      const args = getArgumentValues(definition, node, info.variableValues) as {
        financialYear?: number | null;
        asOf?: string | null;
      };
      const filter = summaryFilter(scope, args.financialYear, args.asOf);
      filters.set(JSON.stringify(filter), filter);
    } catch {
      // Refused arguments: the field's resolver refuses them again, at its own path.
    }
  }
  return [...filters.values()].map((filter) =>
    prefetch.partnershipSavingsSummary(filter),
  );
}

/** Root queries and links of partnerships. */
@Resolver(() => Partnership)
export class PartnershipResolver {
  @Query(() => Partnership, {
    description: "One partnership by its id; NOT_FOUND when there is none.",
  })
  async partnership(
    @Arg("id", () => ID, { description: "The partnership's global id." })
    id: string,
    @Ctx() { em, loaders, scope }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Partnership> {
    const partnershipId = fromGlobalId(id, "Partnership").id;
    // The lists and summaries the page selects come back in the partnership's own statement;
    // without any, the loader reads it (several aliased partnerships then share one statement).
    const lists = selectedPartnershipLists(em, info, loaders);
    const summaries = selectedSummaries(info, loaders, scope);
    if (lists.length === 0 && summaries.length === 0) {
      const found = await loaders.partnership.load(partnershipId);
      if (!found) throw NotFoundError.entity("partnership", id);
      return found;
    }
    const [row] = await loadRootWithChildren(
      em,
      partnershipByIdQuery(partnershipId),
      lists,
      summaries,
    );
    if (!row) throw NotFoundError.entity("partnership", id);
    return mapEntity(em, Partnership, row);
  }

  @Query(() => PartnershipConnection, {
    description: "Partnerships, sorted by name.",
  })
  async partnerships(
    @Args(() => PartnershipsArgs) args: PartnershipsArgs,
    @Ctx() { em, loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<Partnership>> {
    return offsetList(
      em,
      Partnership,
      partnershipsListQuery({
        councilId:
          args.council != null ? await councilIdByCode(em, args.council) : null,
        status: args.status,
        search: args.search,
      }),
      args.first,
      args.after,
      info,
      selectedServicePages(em, info, ["edges", "node", "services"], loaders),
      // The partnerships are handed to this request's fields alone (not to a loader).
      selectedColumns(
        em,
        Partnership,
        subSelection(selectionOf(info), ["edges", "node"]),
      ),
    );
  }

  @FieldResolver(() => [Membership], {
    description:
      "The member councils, each with its role and cost share, in council name order.",
  })
  members(
    @Root() partnership: Partnership,
    @Ctx() { loaders }: Context,
  ): Promise<Membership[]> {
    return loaders.partnershipMembers.load(partnership.id);
  }

  @FieldResolver(() => ServiceConnection, {
    description: "The partnership's shared services, in name order.",
  })
  services(
    @Root() partnership: Partnership,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() { em, loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ): ConnectionShape<Service> | Promise<ConnectionShape<Service>> {
    const joins = serviceJoinsOf(em, selectionOf(info));
    return childPage(
      (window) => loaders.partnershipServices(window, joins),
      partnership.id,
      args,
    );
  }

  @FieldResolver(() => [GovernanceBody], {
    description:
      "The joint committees, boards and other bodies that govern the partnership, in name order.",
  })
  governanceBodies(
    @Root() partnership: Partnership,
    @Ctx() { loaders }: Context,
  ): Promise<GovernanceBody[]> {
    return loaders.partnershipGovernanceBodies.load(partnership.id);
  }

  @FieldResolver(() => [FundingAward], {
    description:
      "Money funders awarded the partnership, earliest first (undated last).",
  })
  fundingAwards(
    @Root() partnership: Partnership,
    @Ctx() { loaders }: Context,
  ): Promise<FundingAward[]> {
    return loaders.partnershipFunding.load(partnership.id);
  }

  @FieldResolver(() => SavingsFigureConnection, {
    description: `Savings figures of the partnership's services (its totals and per council): ${SAVINGS_ORDER}.`,
  })
  savings(
    @Root() partnership: Partnership,
    @Args(() => SavingsFilterArgs) args: SavingsFilterArgs,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<SavingsFigure>> {
    return nestedSavings(context, "partnership", partnership.id, args, info);
  }

  @FieldResolver(() => [SavingsSummary], {
    description:
      "The partnership's savings per financial year (earliest first), by measure, cashable and non-cashable, overall and per council; exact sums.",
  })
  async savingsSummary(
    @Root() partnership: Partnership,
    @Ctx() { loaders, scope }: Context,
    @Arg("financialYear", () => FinancialYearScalar, {
      nullable: true,
      description: 'Only this financial year, e.g. "2014/15".',
    })
    financialYear?: number | null,
    @Arg("asOf", () => String, {
      nullable: true,
      description:
        "Reporting period (YYYY-MM): figures as last reported in or before that month. Default: as last reported.",
    })
    asOf?: string | null,
  ): Promise<SavingsSummary[]> {
    const rows = await loaders
      .savingsSummary(summaryFilter(scope, financialYear, asOf))
      .load(partnership.id);
    return toSavingsSummaries(rows);
  }

  @FieldResolver(() => ImportRun, {
    nullable: true,
    description: IMPORT_RUN_LINK,
  })
  importRun(
    @Root() partnership: Partnership,
    @Ctx() { loaders }: Context,
  ): Promise<ImportRun | null> {
    return importRunOf(loaders, partnership.importRun);
  }
}

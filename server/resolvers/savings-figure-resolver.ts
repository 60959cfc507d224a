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
import type { GraphQLResolveInfo } from "graphql";
import { ForbiddenError } from "../../errors/hub-error.js";
import { Council } from "../../schema/council.js";
import { FinancialYearScalar } from "../../schema/financial-year.js";
import { ImportRun } from "../../schema/import-run.js";
import { Money } from "../../schema/money.js";
import { Partnership } from "../../schema/partnership.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import {
  FigureSource,
  figureSourceOf,
} from "../../schema/savings-figure-key.js";
import { SavingsSummary } from "../../schema/savings-summary.js";
import { Service } from "../../schema/service.js";
import type { Context } from "../context.js";
import {
  countSavings,
  savingsPageColumns,
  savingsPageRows,
  savingsSummaryRows,
  type SavingsFilter,
} from "../loading/savings-queries.js";
import { pageWindow, type ConnectionShape } from "../pagination/connection.js";
import { SavingsFigureConnection } from "../pagination/connection-types.js";
import {
  carriedMovement,
  savingsFigureOfRow,
} from "../loading/savings-figure-rows.js";
import { savingsConnection } from "../pagination/savings-connection.js";
import { selectionOf, subSelection } from "../pagination/selects-field.js";
import { decodeSavingsCursor } from "../pagination/savings-cursor.js";
import {
  COUNCIL_CODE_ARGUMENT,
  councilIdByCode,
  idArgument,
  PageArgs,
  SavingsFilterArgs,
  savingsFilterOf,
} from "./arguments.js";
import { parseReportingPeriodArgument } from "../../schema/reporting-period.js";
import { childPage } from "./child-page.js";
import { IMPORT_RUN_LINK, importRunOf } from "./import-run-of.js";
import { SAVINGS_ORDER } from "./nested-savings.js";
import { toSavingsSummaries } from "./savings-summaries.js";

/** Filters of the national savings list. */
@ArgsType()
export class SavingsArgs extends SavingsFilterArgs {
  @Field(() => ID, {
    nullable: true,
    description: "Only figures of this partnership's services (its global id).",
  })
  partnership?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "Only figures of this service (its global id).",
  })
  service?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `Only figures reported for this council (not partnership totals). ${COUNCIL_CODE_ARGUMENT}`,
  })
  council?: string | null;
}

/** Root queries and links of savings figures. */
@Resolver(() => SavingsFigure)
export class SavingsFigureResolver {
  @Query(() => SavingsFigureConnection, {
    description: `Savings figures across the hub: ${SAVINGS_ORDER}.`,
  })
  async savings(
    @Args(() => SavingsArgs) args: SavingsArgs,
    @Ctx() { em, scope }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<SavingsFigure>> {
    const { limit } = pageWindow(args.first, null);
    const after = args.after ? decodeSavingsCursor(args.after) : null;
    const filter: SavingsFilter = {
      ...savingsFilterOf(args, scope),
      partnershipId: idArgument(args.partnership, "Partnership"),
      serviceId: idArgument(args.service, "Service"),
      councilId:
        args.council != null ? await councilIdByCode(em, args.council) : null,
    };
    // Asking by name for another partnership's figures is refused outright (FORBIDDEN, whether or
    // not it exists); other lists are narrowed to the caller's scope inside every savings query.
    if (filter.partnershipId != null)
      scope.assertPartnership(filter.partnershipId);
    if (filter.serviceId != null && !scope.national) {
      const service = await em.findOne(Service, { id: filter.serviceId });
      if (!service) throw new ForbiddenError();
      scope.assertPartnership(service.partnership.id);
    }
    // The figures go to this field's selection alone: the columns it reads.
    const columns = savingsPageColumns(
      em,
      subSelection(selectionOf(info), ["edges", "node"]),
    );
    const rows = await savingsPageRows(em, filter, after, limit + 1, columns);
    return savingsConnection(
      rows.map((row) => savingsFigureOfRow(em, row, columns)),
      limit,
      after,
      () => countSavings(em, filter),
    );
  }

  @Query(() => [SavingsSummary], {
    description:
      "National savings per financial year (earliest first), by measure, cashable and non-cashable, overall and per council; exact sums over every partnership.",
  })
  async savingsSummary(
    @Ctx() { em, scope, loaders }: Context,
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
    const rows = await savingsSummaryRows(em, null, {
      scope,
      financialYear: financialYear ?? null,
      asOf: parseReportingPeriodArgument(asOf, "asOf"),
    });
    loaders.primeSummaryCouncils(rows);
    return toSavingsSummaries(rows);
  }

  @FieldResolver(() => Money, { description: "The amount saved, exactly." })
  amount(@Root() figure: SavingsFigure): Money {
    return new Money(figure.amount);
  }

  @FieldResolver(() => Money, {
    nullable: true,
    description:
      "The change from the same figure (same service, council, year, measure and cashability) reported by the same source in the previous reporting period; null when this is that source's first report.",
  })
  movement(
    @Root() figure: SavingsFigure,
    @Ctx() { loaders }: Context,
  ): Money | null | Promise<Money | null> {
    // A savings page's figures carry their movement (their statement computed it): no loader then.
    const carried = carriedMovement(figure);
    if (carried !== undefined)
      return carried === null ? null : new Money(carried);
    return loaders.savingsMovement
      .load(figure.id)
      .then((movement) => (movement === null ? null : new Money(movement)));
  }

  @FieldResolver(() => SavingsFigureConnection, {
    description:
      "Every report of this figure by the same source across months (the same service, council, financial year, measure and cashability; one per reporting period), oldest first, each with its movement from the report before: how the figure changed over time. This figure is one of them.",
  })
  reports(
    @Root() figure: SavingsFigure,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() { loaders }: Context,
  ): ConnectionShape<SavingsFigure> | Promise<ConnectionShape<SavingsFigure>> {
    return childPage(
      (window) => loaders.figureReports(window),
      figure.id,
      args,
    );
  }

  @FieldResolver(() => Service, { description: "The service that saved it." })
  async service(
    @Root() figure: SavingsFigure,
    @Ctx() { loaders }: Context,
  ): Promise<Service> {
    return (await loaders.service.load(figure.service.id))!;
  }

  @FieldResolver(() => Council, {
    nullable: true,
    description:
      "The council the figure is for; null for the partnership's own total.",
  })
  council(
    @Root() figure: SavingsFigure,
    @Ctx() { loaders }: Context,
  ): Promise<Council | null> | null {
    return figure.council ? loaders.council.load(figure.council.id) : null;
  }

  @FieldResolver(() => Council, {
    nullable: true,
    description:
      "The council whose tracker reported the figure; null for the partnership's own tracker. With `council` it decides `source`.",
  })
  reportedBy(
    @Root() figure: SavingsFigure,
    @Ctx() { loaders }: Context,
  ): Promise<Council | null> | null {
    return figure.reportedBy
      ? loaders.council.load(figure.reportedBy.id)
      : null;
  }

  @FieldResolver(() => FigureSource, {
    description:
      "Whose report the figure is: OWN (the council's claim), HOST (another council's report) or PARTNERSHIP (the partnership's own).",
  })
  source(@Root() figure: SavingsFigure): FigureSource {
    return figureSourceOf(figure);
  }

  @FieldResolver(() => Partnership, {
    description: "The partnership of the service.",
  })
  async partnership(
    @Root() figure: SavingsFigure,
    @Ctx() { loaders }: Context,
  ): Promise<Partnership> {
    return (await loaders.partnershipOfService.load(figure.service.id))!;
  }

  @FieldResolver(() => ImportRun, {
    nullable: true,
    description: `${IMPORT_RUN_LINK} With sourceSheet and sourceCell, where the figure came from.`,
  })
  importRun(
    @Root() figure: SavingsFigure,
    @Ctx() { loaders }: Context,
  ): Promise<ImportRun | null> {
    return importRunOf(loaders, figure.importRun);
  }
}

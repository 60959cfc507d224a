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
  registerEnumType,
  Resolver,
  Root,
} from "type-graphql";
import type { GraphQLResolveInfo } from "graphql";
import { NotFoundError } from "../../errors/hub-error.js";
import { Council } from "../../schema/council.js";
import { fromGlobalId } from "../../schema/global-id.js";
import { GovernanceBody } from "../../schema/governance-body.js";
import { ImportRun } from "../../schema/import-run.js";
import { Partnership } from "../../schema/partnership.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { Service, ServiceStatus } from "../../schema/service.js";
import type { Context } from "../context.js";
import { hostedBySql, partnerInSql } from "../loading/council-service-role.js";
import { containsPattern, SqlConditions } from "../loading/sql-rows.js";
import type { ConnectionShape } from "../pagination/connection.js";
import {
  SavingsFigureConnection,
  ServiceConnection,
} from "../pagination/connection-types.js";
import { offsetList } from "../pagination/offset-list.js";
import {
  COUNCIL_CODE_ARGUMENT,
  councilIdByCode,
  idArgument,
  PageArgs,
  SavingsFilterArgs,
} from "./arguments.js";
import { IMPORT_RUN_LINK, importRunOf } from "./import-run-of.js";
import { nestedSavings, SAVINGS_ORDER } from "./nested-savings.js";

/** How a council filter matches a service. */
export enum ServiceCouncilRole {
  HOST = "HOST",
  PARTNER = "PARTNER",
  ANY = "ANY",
}
registerEnumType(ServiceCouncilRole, {
  name: "ServiceCouncilRole",
  description: "How the council in a services filter takes part.",
  valuesConfig: {
    HOST: { description: "The council hosts or leads the service." },
    PARTNER: {
      description: "The council is a member of the service's partnership.",
    },
    ANY: { description: "Either: it hosts the service or is a partner." },
  },
});

/** Filters of the services list. */
@ArgsType()
export class ServicesArgs extends PageArgs {
  @Field(() => String, {
    nullable: true,
    description: `Only services this council takes part in (see councilRole). ${COUNCIL_CODE_ARGUMENT}`,
  })
  council?: string | null;

  @Field(() => ServiceCouncilRole, {
    nullable: true,
    description: "How the `council` takes part; default ANY.",
  })
  councilRole?: ServiceCouncilRole | null;

  @Field(() => ID, {
    nullable: true,
    description: "Only services of this partnership (its global id).",
  })
  partnership?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only services of this category, any case ("Back office").',
  })
  category?: string | null;

  @Field(() => ServiceStatus, {
    nullable: true,
    description: "Only services with this status.",
  })
  status?: ServiceStatus | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Part of the name, category, status wording or notes, any case.",
  })
  search?: string | null;
}

/** Root queries and links of services. */
@Resolver(() => Service)
export class ServiceResolver {
  @Query(() => Service, {
    description: "One shared service by its id; NOT_FOUND when there is none.",
  })
  async service(
    @Arg("id", () => ID, { description: "The service's global id." })
    id: string,
    @Ctx() { loaders }: Context,
  ): Promise<Service> {
    const found = await loaders.service.load(fromGlobalId(id, "Service").id);
    if (!found) throw NotFoundError.entity("service", id);
    return found;
  }

  @Query(() => ServiceConnection, {
    description: "Shared services, sorted by name, then partnership.",
  })
  async services(
    @Args(() => ServicesArgs) args: ServicesArgs,
    @Ctx() { em }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<Service>> {
    const where = new SqlConditions();
    if (args.council != null) {
      const councilId = await councilIdByCode(em, args.council);
      const host = hostedBySql("s", "(?)");
      const partner = partnerInSql("s", "(?)");
      switch (args.councilRole ?? ServiceCouncilRole.ANY) {
        case ServiceCouncilRole.HOST:
          where.add(host, councilId);
          break;
        case ServiceCouncilRole.PARTNER:
          where.add(partner, councilId);
          break;
        case ServiceCouncilRole.ANY:
          where.add(`(${host} or ${partner})`, councilId, councilId);
      }
    }
    const partnershipId = idArgument(args.partnership, "Partnership");
    if (partnershipId !== null)
      where.add("s.partnership_id = ?", partnershipId);
    if (args.category != null)
      where.add("lower(s.category) = lower(?)", args.category.trim());
    if (args.status != null) where.add("s.status = ?", args.status);
    const text = args.search?.trim();
    if (text) {
      const pattern = containsPattern(text);
      where.add(
        "(s.name ilike ? or s.category ilike ? or s.status_text ilike ? or s.notes ilike ?)",
        pattern,
        pattern,
        pattern,
        pattern,
      );
    }
    return offsetList(
      em,
      Service,
      {
        from: "service s",
        alias: "s",
        where,
        order: "s.name, s.partnership_id, s.id",
      },
      args.first,
      args.after,
      info,
    );
  }

  @FieldResolver(() => Partnership, {
    description: "The partnership that shares the service.",
  })
  async partnership(
    @Root() service: Service,
    @Ctx() { loaders }: Context,
  ): Promise<Partnership> {
    // A page read for its selection may carry its partnership with the columns that selection
    // reads (joinedLink); otherwise the link is `{ id }`, read through the loader.
    const link: { id: number } = service.partnership;
    return link instanceof Partnership
      ? link
      : (await loaders.partnership.load(link.id))!;
  }

  @FieldResolver(() => Council, {
    nullable: true,
    description:
      "The council that hosts or leads the service (see hostRole); null where none is named.",
  })
  hostCouncil(
    @Root() service: Service,
    @Ctx() { loaders }: Context,
  ): Promise<Council | null> | Council | null {
    // A page read for its selection carries its host councils with the columns that selection
    // reads (partnershipServicesQuery); otherwise the link is `{ id }`, read through the loader.
    const link: { id: number } | null | undefined = service.hostCouncil;
    if (!link) return null;
    return link instanceof Council ? link : loaders.council.load(link.id);
  }

  @FieldResolver(() => [Council], {
    description:
      "The partner councils: the members of the service's partnership, in name order.",
  })
  partnerCouncils(
    @Root() service: Service,
    @Ctx() { loaders }: Context,
  ): Promise<Council[]> {
    return loaders.servicePartnerCouncils.load(service.id);
  }

  @FieldResolver(() => GovernanceBody, {
    nullable: true,
    description: "The body that governs the service, where named.",
  })
  governingBody(
    @Root() service: Service,
    @Ctx() { loaders }: Context,
  ): Promise<GovernanceBody | null> | null {
    return service.governingBody
      ? loaders.governanceBody.load(service.governingBody.id)
      : null;
  }

  @FieldResolver(() => SavingsFigureConnection, {
    description: `The service's savings figures (its totals and per council): ${SAVINGS_ORDER}.`,
  })
  savings(
    @Root() service: Service,
    @Args(() => SavingsFilterArgs) args: SavingsFilterArgs,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<SavingsFigure>> {
    return nestedSavings(context, "service", service.id, args, info);
  }

  @FieldResolver(() => ImportRun, {
    nullable: true,
    description: IMPORT_RUN_LINK,
  })
  importRun(
    @Root() service: Service,
    @Ctx() { loaders }: Context,
  ): Promise<ImportRun | null> {
    return importRunOf(loaders, service.importRun);
  }
}

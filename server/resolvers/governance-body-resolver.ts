import {
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import {
  GovernanceBody,
  GovernanceKind,
} from "../../schema/governance-body.js";
import { GovernanceSeat } from "../../schema/governance-seat.js";
import { ImportRun } from "../../schema/import-run.js";
import { Partnership } from "../../schema/partnership.js";
import { Service } from "../../schema/service.js";
import type { Context } from "../context.js";
import { SqlConditions } from "../loading/sql-rows.js";
import type { ConnectionShape } from "../pagination/connection.js";
import { GovernanceBodyConnection } from "../pagination/connection-types.js";
import { offsetList } from "../pagination/offset-list.js";
import {
  COUNCIL_CODE_ARGUMENT,
  councilIdByCode,
  idArgument,
  PageArgs,
} from "./arguments.js";
import { IMPORT_RUN_LINK, importRunOf } from "./import-run-of.js";

/** Filters of the governance bodies list. */
@ArgsType()
export class GovernanceBodiesArgs extends PageArgs {
  @Field(() => ID, {
    nullable: true,
    description: "Only bodies of this partnership (its global id).",
  })
  partnership?: string | null;

  @Field(() => GovernanceKind, {
    nullable: true,
    description: "Only bodies of this kind.",
  })
  kind?: GovernanceKind | null;

  @Field(() => String, {
    nullable: true,
    description: `Only bodies this council has a seat on. ${COUNCIL_CODE_ARGUMENT}`,
  })
  council?: string | null;
}

/** Root query and links of governance bodies. */
@Resolver(() => GovernanceBody)
export class GovernanceBodyResolver {
  @Query(() => GovernanceBodyConnection, {
    description: "Governance bodies, sorted by name, then partnership.",
  })
  async governanceBodies(
    @Args(() => GovernanceBodiesArgs) args: GovernanceBodiesArgs,
    @Ctx() { em }: Context,
  ): Promise<ConnectionShape<GovernanceBody>> {
    const where = new SqlConditions();
    const partnershipId = idArgument(args.partnership, "Partnership");
    if (partnershipId !== null)
      where.add("b.partnership_id = ?", partnershipId);
    if (args.kind != null) where.add("b.kind = ?", args.kind);
    if (args.council != null)
      where.add(
        "b.id in (select gs.body_id from governance_seat gs where gs.council_id = ?)",
        await councilIdByCode(em, args.council),
      );
    return offsetList(
      em,
      GovernanceBody,
      {
        from: "governance_body b",
        alias: "b",
        where,
        order: "b.name, b.partnership_id, b.id",
      },
      args.first,
      args.after,
    );
  }

  @FieldResolver(() => Partnership, {
    description: "The partnership the body governs.",
  })
  async partnership(
    @Root() body: GovernanceBody,
    @Ctx() { loaders }: Context,
  ): Promise<Partnership> {
    return (await loaders.partnership.load(body.partnership.id))!;
  }

  @FieldResolver(() => [GovernanceSeat], {
    description: "The councils' seats on the body, in council name order.",
  })
  seats(
    @Root() body: GovernanceBody,
    @Ctx() { loaders }: Context,
  ): Promise<GovernanceSeat[]> {
    return loaders.bodySeats.load(body.id);
  }

  @FieldResolver(() => [Service], {
    description: "The services the body governs, in name order.",
  })
  services(
    @Root() body: GovernanceBody,
    @Ctx() { loaders }: Context,
  ): Promise<Service[]> {
    return loaders.bodyServices.load(body.id);
  }

  @FieldResolver(() => ImportRun, {
    nullable: true,
    description: IMPORT_RUN_LINK,
  })
  importRun(
    @Root() body: GovernanceBody,
    @Ctx() { loaders }: Context,
  ): Promise<ImportRun | null> {
    return importRunOf(loaders, body.importRun);
  }
}

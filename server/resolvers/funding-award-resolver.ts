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
import { FundingAward } from "../../schema/funding-award.js";
import { ImportRun } from "../../schema/import-run.js";
import { Money } from "../../schema/money.js";
import { Partnership } from "../../schema/partnership.js";
import type { Context } from "../context.js";
import { containsPattern, SqlConditions } from "../loading/sql-rows.js";
import type { ConnectionShape } from "../pagination/connection.js";
import { FundingAwardConnection } from "../pagination/connection-types.js";
import { offsetList } from "../pagination/offset-list.js";
import { idArgument, PageArgs } from "./arguments.js";
import { IMPORT_RUN_LINK, importRunOf } from "./import-run-of.js";

/** Filters of the funding awards list. */
@ArgsType()
export class FundingAwardsArgs extends PageArgs {
  @Field(() => ID, {
    nullable: true,
    description: "Only awards to this partnership (its global id).",
  })
  partnership?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Only awards from funders whose name contains this, any case.",
  })
  funder?: string | null;
}

/** Root query and links of funding awards. */
@Resolver(() => FundingAward)
export class FundingAwardResolver {
  @Query(() => FundingAwardConnection, {
    description:
      "Funding awarded to partnerships, earliest first (undated last), then by id.",
  })
  fundingAwards(
    @Args(() => FundingAwardsArgs) args: FundingAwardsArgs,
    @Ctx() { em }: Context,
  ): Promise<ConnectionShape<FundingAward>> {
    const where = new SqlConditions();
    const partnershipId = idArgument(args.partnership, "Partnership");
    if (partnershipId !== null)
      where.add("a.partnership_id = ?", partnershipId);
    const funder = args.funder?.trim();
    if (funder) where.add("a.funder ilike ?", containsPattern(funder));
    return offsetList(
      em,
      FundingAward,
      {
        from: "funding_award a",
        alias: "a",
        where,
        order: "a.awarded_on nulls last, a.id",
      },
      args.first,
      args.after,
    );
  }

  @FieldResolver(() => Money, { description: "The amount awarded." })
  amount(@Root() award: FundingAward): Money {
    return new Money(award.amount);
  }

  @FieldResolver(() => Partnership, {
    description: "The partnership the money went to.",
  })
  async partnership(
    @Root() award: FundingAward,
    @Ctx() { loaders }: Context,
  ): Promise<Partnership> {
    return (await loaders.partnership.load(award.partnership.id))!;
  }

  @FieldResolver(() => ImportRun, {
    nullable: true,
    description: IMPORT_RUN_LINK,
  })
  importRun(
    @Root() award: FundingAward,
    @Ctx() { loaders }: Context,
  ): Promise<ImportRun | null> {
    return importRunOf(loaders, award.importRun);
  }
}

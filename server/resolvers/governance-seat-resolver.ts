import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Council } from "../../schema/council.js";
import { GovernanceBody } from "../../schema/governance-body.js";
import { GovernanceSeat } from "../../schema/governance-seat.js";
import type { Context } from "../context.js";

/** Links of governance seats. */
@Resolver(() => GovernanceSeat)
export class GovernanceSeatResolver {
  @FieldResolver(() => GovernanceBody, {
    description: "The body the seats are on.",
  })
  async body(
    @Root() seat: GovernanceSeat,
    @Ctx() { loaders }: Context,
  ): Promise<GovernanceBody> {
    return (await loaders.governanceBody.load(seat.body.id))!;
  }

  @FieldResolver(() => Council, {
    description: "The council holding the seats.",
  })
  async council(
    @Root() seat: GovernanceSeat,
    @Ctx() { loaders }: Context,
  ): Promise<Council> {
    return (await loaders.council.load(seat.council.id))!;
  }
}

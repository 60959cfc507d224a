import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Council } from "../../schema/council.js";
import { CouncilSavings } from "../../schema/savings-summary.js";
import type { Context } from "../context.js";

/** Links a summary's per-council line to its council. */
@Resolver(() => CouncilSavings)
export class CouncilSavingsResolver {
  @FieldResolver(() => Council, { description: "The council." })
  async council(
    @Root() line: CouncilSavings,
    @Ctx() { loaders }: Context,
  ): Promise<Council> {
    return (await loaders.council.load(line.councilId))!;
  }
}

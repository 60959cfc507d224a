import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Council } from "../../schema/council.js";
import { ImportRun } from "../../schema/import-run.js";
import { Membership } from "../../schema/membership.js";
import { Partnership } from "../../schema/partnership.js";
import type { Context } from "../context.js";
import { IMPORT_RUN_LINK, importRunOf } from "./import-run-of.js";

/** Links of memberships: the council and the partnership. */
@Resolver(() => Membership)
export class MembershipResolver {
  @FieldResolver(() => Council, { description: "The member council." })
  async council(
    @Root() membership: Membership,
    @Ctx() { loaders }: Context,
  ): Promise<Council> {
    return (await loaders.council.load(membership.council.id))!;
  }

  @FieldResolver(() => Partnership, { description: "The partnership." })
  async partnership(
    @Root() membership: Membership,
    @Ctx() { loaders }: Context,
  ): Promise<Partnership> {
    // A page read for its selection may carry its partnership with the columns that selection
    // reads (joinedLink); otherwise the link is `{ id }`, read through the loader.
    const link: { id: number } = membership.partnership;
    return link instanceof Partnership
      ? link
      : (await loaders.partnership.load(link.id))!;
  }

  @FieldResolver(() => ImportRun, {
    nullable: true,
    description: IMPORT_RUN_LINK,
  })
  importRun(
    @Root() membership: Membership,
    @Ctx() { loaders }: Context,
  ): Promise<ImportRun | null> {
    return importRunOf(loaders, membership.importRun);
  }
}

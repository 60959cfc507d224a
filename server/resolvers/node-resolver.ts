import type { EntityClass } from "@mikro-orm/core";
import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import {
  BadInputError,
  ForbiddenError,
  NotFoundError,
} from "../../errors/hub-error.js";
import { Council } from "../../schema/council.js";
import { FundingAward } from "../../schema/funding-award.js";
import { fromGlobalId } from "../../schema/global-id.js";
import { GovernanceBody } from "../../schema/governance-body.js";
import { GovernanceSeat } from "../../schema/governance-seat.js";
import { ImportRun } from "../../schema/import-run.js";
import { Membership } from "../../schema/membership.js";
import { Node } from "../../schema/node.js";
import { Partnership } from "../../schema/partnership.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { Service } from "../../schema/service.js";
import type { Context } from "../context.js";

/** The entity behind each GraphQL type that implements Node. */
const NODE_TYPES: Record<string, EntityClass<object>> = {
  Council,
  Partnership,
  Membership,
  Service,
  GovernanceBody,
  GovernanceSeat,
  SavingsFigure,
  FundingAward,
  ImportRun,
};

/** `node(id:)`: any object by its global id (Relay object identification). */
@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    description:
      "Any object by its global id. BAD_USER_INPUT for an id this API did not give out; NOT_FOUND when the object no longer exists.",
  })
  async node(
    @Arg("id", () => ID, {
      description: "A global id (the `id` field of any object).",
    })
    id: string,
    @Ctx() { em, scope }: Context,
  ): Promise<object> {
    const { type, id: databaseId } = fromGlobalId(id);
    const entity = NODE_TYPES[type];
    if (!entity)
      throw new BadInputError(`"${id}" is not an id this API gave out.`, {
        id,
      });
    // Figures and import runs outside a council-bound caller's scope are FORBIDDEN, and so are ids
    // that do not exist, so the answer never tells whether another partnership's figure exists.
    if (!scope.national && type === "SavingsFigure") {
      const figure = await em.findOne(
        SavingsFigure,
        { id: databaseId },
        { populate: ["service"] },
      );
      if (!figure || !scope.allows(figure.service.partnership.id))
        throw new ForbiddenError();
      return figure;
    }
    if (
      !scope.national &&
      type === "ImportRun" &&
      !(await scope.allowsImportRun(em, databaseId))
    ) {
      throw new ForbiddenError();
    }
    const found = await em.findOne(entity, { id: databaseId } as never);
    if (!found) throw NotFoundError.entity(type, id);
    return found;
  }
}

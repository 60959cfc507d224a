import { buildSchema } from "type-graphql";
import { isObjectType, type GraphQLSchema } from "graphql";
import { toGlobalId } from "../schema/global-id.js";
import type { Node } from "../schema/node.js";
import { authChecker } from "./auth/auth-checker.js";
import { AdminResolver } from "./resolvers/admin-resolver.js";
import { CouncilResolver } from "./resolvers/council-resolver.js";
import { CouncilSavingsResolver } from "./resolvers/council-savings-resolver.js";
import { FundingAwardResolver } from "./resolvers/funding-award-resolver.js";
import { GovernanceBodyResolver } from "./resolvers/governance-body-resolver.js";
import { GovernanceSeatResolver } from "./resolvers/governance-seat-resolver.js";
import { ImportResolver } from "./resolvers/import-resolver.js";
import { MembershipResolver } from "./resolvers/membership-resolver.js";
import { NodeResolver } from "./resolvers/node-resolver.js";
import { PartnershipResolver } from "./resolvers/partnership-resolver.js";
import { ReconciliationResolver } from "./resolvers/reconciliation-resolver.js";
import { SavingsFigureResolver } from "./resolvers/savings-figure-resolver.js";
import { ServiceResolver } from "./resolvers/service-resolver.js";
import { ViewerResolver } from "./resolvers/viewer-resolver.js";

/** Every resolver class of the API: one per line, so that adding one is a one-line change. */
export const resolvers = [
  AdminResolver,
  CouncilResolver,
  CouncilSavingsResolver,
  FundingAwardResolver,
  GovernanceBodyResolver,
  GovernanceSeatResolver,
  ImportResolver,
  MembershipResolver,
  NodeResolver,
  PartnershipResolver,
  ReconciliationResolver,
  SavingsFigureResolver,
  ServiceResolver,
  ViewerResolver,
] as const;

/** Builds the executable GraphQL schema from the type-graphql classes (the one source of truth). */
export async function buildHubSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({ resolvers, validate: false, authChecker });
  resolveNodeIdsDirectly(schema);
  return schema;
}

/**
 * Every Node type's `id` is resolved straight from the object's database id. type-graphql resolves
 * an interface's field on a copy of the object made into an instance of the interface's class,
 * which for a list of a thousand objects was the largest single cost of the request.
 */
function resolveNodeIdsDirectly(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (
      !isObjectType(type) ||
      !type.getInterfaces().some((i) => i.name === "Node")
    )
      continue;
    const typeName = type.name;
    type.getFields().id!.resolve = (node: Node) =>
      toGlobalId(typeName, node.id);
  }
}

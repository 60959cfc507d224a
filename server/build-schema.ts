import { buildSchema } from "type-graphql";
import type { GraphQLSchema } from "graphql";
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
  return buildSchema({ resolvers, validate: false, authChecker });
}

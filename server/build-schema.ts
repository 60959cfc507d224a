import { buildSchema } from "type-graphql";
import type { GraphQLSchema } from "graphql";
import { CouncilResolver } from "./resolvers/council-resolver.js";

/** Every resolver class of the API. */
export const resolvers = [CouncilResolver] as const;

/** Builds the executable GraphQL schema from the type-graphql classes (the one source of truth). */
export async function buildHubSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, validate: false });
}

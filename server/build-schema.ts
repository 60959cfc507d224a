import { buildSchema, getMetadataStorage } from "type-graphql";
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
import { ImportCalendarResolver } from "./resolvers/import-calendar-resolver.js";
import { ImportJobResolver } from "./resolvers/import-job-resolver.js";
import { ImportProfileResolver } from "./resolvers/import-profile-resolver.js";
import { ImportResolver } from "./resolvers/import-resolver.js";
import { ImportRunFiguresResolver } from "./resolvers/import-run-figures-resolver.js";
import { MembershipResolver } from "./resolvers/membership-resolver.js";
import { NodeResolver } from "./resolvers/node-resolver.js";
import { PartnershipResolver } from "./resolvers/partnership-resolver.js";
import { ReconciliationResolver } from "./resolvers/reconciliation-resolver.js";
import {
  resolveSavingsFigureFieldsDirectly,
  SavingsFigureResolver,
} from "./resolvers/savings-figure-resolver.js";
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
  ImportJobResolver,
  ImportProfileResolver,
  ImportResolver,
  ImportCalendarResolver,
  ImportRunFiguresResolver,
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
  readPlainFieldsDirectly(schema);
  resolveNodeIdsDirectly(schema);
  resolveSavingsFigureFieldsDirectly(schema);
  return schema;
}

/**
 * A field that only reads its object's property (no field resolver, no `@Authorized`, no
 * middleware) gets no resolver, so the executor reads the property itself: type-graphql gives every
 * field a resolver running its (empty) middleware chain, and graphql-jit inlines only fields
 * without one. For a deep list that is thousands of calls, resolve infos and checks per request.
 */
function readPlainFieldsDirectly(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const resolved = new Set(
    storage.fieldResolvers.map(
      (resolver) => `${resolver.getObjectType?.().name}.${resolver.methodName}`,
    ),
  );
  for (const meta of storage.objectTypes) {
    const type = schema.getType(meta.name);
    if (!isObjectType(type)) continue;
    const fields = [
      ...storage.interfaceTypes
        .filter((it) => meta.interfaceClasses?.includes(it.target))
        .flatMap((it) => it.fields ?? []),
      ...(meta.fields ?? []),
    ];
    for (const field of fields) {
      const schemaField = type.getFields()[field.schemaName];
      if (
        !schemaField ||
        field.roles !== undefined ||
        field.middlewares?.length ||
        resolved.has(`${field.target.name}.${field.name}`)
      )
        continue;
      const property = field.name;
      schemaField.resolve =
        property === field.schemaName
          ? undefined
          : (source: Record<string, unknown>) => source[property];
    }
  }
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

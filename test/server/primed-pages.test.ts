import {
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestGraphql } from "../support/graphql.js";
import { useTestDatabase } from "../support/test-database.js";
import { seedHub } from "./seed-hub.js";

const db = useTestDatabase();

beforeAll(async () => {
  await seedHub(db.orm.em.fork());
});

/** Records, for each call of `type.field`'s resolver, whether it answered with a promise. */
function watchAnswers(
  schema: GraphQLSchema,
  type: string,
  field: string,
): boolean[] {
  const found = schema.getType(type);
  if (!isObjectType(found)) throw new Error(`no type ${type}`);
  const definition = found.getFields()[field]!;
  const resolve = definition.resolve as GraphQLFieldResolver<unknown, unknown>;
  const promised: boolean[] = [];
  definition.resolve = (...call) => {
    const value = resolve(...call);
    promised.push(value instanceof Promise);
    return value;
  };
  return promised;
}

describe("A page of children read in its root's statement", () => {
  it("is handed to its field at once, without a promise", async () => {
    // The resolvers' path (the planner, server/sql-answers/, would answer the list whole).
    const graphql = await createTestGraphql(db.orm, { sqlAnswers: false });
    const services = watchAnswers(graphql.schema, "Partnership", "services");
    const memberships = watchAnswers(graphql.schema, "Council", "memberships");
    const hosted = watchAnswers(graphql.schema, "Council", "hostedServices");
    const lists = await graphql.run<{
      partnerships: {
        edges: { node: { services: { totalCount: number } } }[];
      };
    }>(`{ partnerships(first: 10) { edges { node { name
      services(first: 1) { totalCount edges { cursor node { name hostCouncil { shortName } } } }
      second: services(first: 5, after: "b2Zmc2V0OjA") { edges { node { name } } }
    } } } }`);
    expect(lists.errors).toBeUndefined();
    expect(
      lists.data!.partnerships.edges.some(
        ({ node }) => node.services.totalCount > 1,
      ),
    ).toBe(true);
    const page = await graphql.run<{
      council: { memberships: { totalCount: number } };
    }>(`{ council(code: "E07000034") { officialName
      memberships(first: 5) { totalCount edges { node { role partnership { name } } } }
      hostedServices(first: 5) { totalCount edges { node { name } } }
    } }`);
    expect(page.errors).toBeUndefined();
    expect(page.data!.council.memberships.totalCount).toBeGreaterThan(0);
    // Two selections of services under each partnership.
    expect(services.length).toBe(2 * lists.data!.partnerships.edges.length);
    expect(services.every((promised) => !promised)).toBe(true);
    expect(memberships).toEqual([false]);
    expect(hosted).toEqual([false]);
  });
});

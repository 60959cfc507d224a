import { execute, isObjectType, parse, printSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { fromGlobalId } from "../../schema/global-id.js";
import { buildHubSchema } from "../../server/build-schema.js";
import { anonymousDevelopmentViewer } from "../../server/caller.js";
import { createApollo } from "../../server/create-apollo.js";
import { createContext } from "../../server/context.js";
import { useTestDatabase } from "../support/test-database.js";
import { seedHub } from "./seed-hub.js";

const db = useTestDatabase();

beforeAll(async () => {
  await seedHub(db.orm.em.fork());
});

// Every Node type the API lists, with its id at several depths.
const QUERY = `{ partnerships(first: 20) { edges { node { __typename id name
  services(first: 20) { edges { node { __typename id hostCouncil { __typename id } } } }
  members { __typename id council { __typename id } }
  governanceBodies { __typename id seats { __typename id council { __typename id } } }
  fundingAwards { __typename id }
  savings(first: 5) { edges { node { __typename id importRun { __typename id } } } }
} } } }`;

/** Every `{ __typename, id }` in an answer. */
function nodes(value: unknown, out: { __typename: string; id: string }[] = []) {
  if (Array.isArray(value)) for (const item of value) nodes(item, out);
  else if (value && typeof value === "object") {
    const node = value as { __typename?: string; id?: string };
    if (node.__typename && node.id)
      out.push({ __typename: node.__typename, id: node.id });
    for (const field of Object.values(value)) nodes(field, out);
  }
  return out;
}

describe("Node ids under the compiled executor", () => {
  it("are the ids graphql-js gives (each type's global id), read as a property instead of through a resolver", async () => {
    const schema = await buildHubSchema();
    const apollo = createApollo({ schema, production: false, log: () => {} });
    const context = () =>
      createContext(db.orm.em, anonymousDevelopmentViewer, "t");
    const compiled = await apollo.executeOperation(
      { query: QUERY },
      { contextValue: await context() },
    );
    if (compiled.body.kind !== "single") throw new Error("expected one result");
    const jit = compiled.body.singleResult;
    expect(jit.errors).toBeUndefined();
    const plain = await execute({
      schema,
      document: parse(QUERY),
      contextValue: await context(),
    });
    expect(plain.errors).toBeUndefined();
    expect(JSON.parse(JSON.stringify(jit.data))).toEqual(
      JSON.parse(JSON.stringify(plain.data)),
    );
    const ids = nodes(jit.data);
    expect(new Set(ids.map((n) => n.__typename))).toEqual(
      new Set([
        "Partnership",
        "Service",
        "Council",
        "Membership",
        "GovernanceBody",
        "GovernanceSeat",
        "FundingAward",
        "SavingsFigure",
        "ImportRun",
      ]),
    );
    for (const { __typename, id } of ids)
      expect(fromGlobalId(id).type).toBe(__typename);
  });

  it("leaves each Node type's id field as it was once an operation is compiled: named id, with its resolver", async () => {
    const schema = await buildHubSchema();
    const printed = printSchema(schema);
    const apollo = createApollo({ schema, production: false, log: () => {} });
    const result = await apollo.executeOperation(
      { query: QUERY },
      {
        contextValue: await createContext(
          db.orm.em,
          anonymousDevelopmentViewer,
          "t",
        ),
      },
    );
    if (result.body.kind !== "single") throw new Error("expected one result");
    expect(result.body.singleResult.errors).toBeUndefined();
    expect(printSchema(schema)).toBe(printed);
    for (const type of Object.values(schema.getTypeMap()))
      if (
        isObjectType(type) &&
        type.getInterfaces().some((i) => i.name === "Node")
      ) {
        expect(type.getFields().id!.name).toBe("id");
        expect(type.getFields().id!.resolve).toBeTypeOf("function");
      }
  });
});

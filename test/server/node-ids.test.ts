import { execute, isObjectType, parse, printSchema } from "graphql";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { fromGlobalId } from "../../schema/global-id.js";
import { buildHubSchema, PROPERTY_READ } from "../../server/build-schema.js";
import { anonymousDevelopmentViewer } from "../../server/caller.js";
import { createApollo } from "../../server/create-apollo.js";
import { createContext } from "../../server/context.js";
import { SavingsFigureResolver } from "../../server/resolvers/savings-figure-resolver.js";
import { useTestDatabase } from "../support/test-database.js";
import { seedHub } from "./seed-hub.js";

const db = useTestDatabase();

beforeAll(async () => {
  await seedHub(db.orm.em.fork());
});

// Every Node type the API lists, with its id at several depths, and fields whose resolver reads
// only its object (amount, source), which the compiled executor reads as properties too.
const QUERY = `{ partnerships(first: 20) { edges { node { __typename id name
  services(first: 20) { edges { node { __typename id hostCouncil { __typename id } } } }
  members { __typename id council { __typename id } }
  governanceBodies { __typename id seats { __typename id council { __typename id } } }
  fundingAwards { __typename id amount { amount currency } }
  savings(first: 5) { edges { node { __typename id amount { amount currency } source importRun { __typename id } } } }
} } } }`;

/** QUERY's answer from Apollo (graphql-jit) and from graphql-js itself, each with a fresh context. */
async function bothAnswers() {
  const schema = await buildHubSchema();
  const apollo = createApollo({ schema, production: false, log: () => {} });
  const context = () =>
    createContext(db.orm.em, anonymousDevelopmentViewer, "t");
  const compiled = await apollo.executeOperation(
    { query: QUERY },
    { contextValue: await context() },
  );
  if (compiled.body.kind !== "single") throw new Error("expected one result");
  const plain = await execute({
    schema,
    document: parse(QUERY),
    contextValue: await context(),
  });
  return { jit: compiled.body.singleResult, plain };
}

afterEach(() => {
  vi.restoreAllMocks();
});

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

describe("Node ids and fields read as properties under the compiled executor", () => {
  it("are the ids graphql-js gives (each type's global id), read as a property instead of through a resolver", async () => {
    const { jit, plain } = await bothAnswers();
    expect(jit.errors).toBeUndefined();
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

  it("reports a failure of a field read as a property as that field's error, as graphql-js does, not as the whole answer's", async () => {
    vi.spyOn(SavingsFigureResolver.prototype, "amount").mockImplementation(
      () => {
        throw new Error("no amount today");
      },
    );
    const { jit, plain } = await bothAnswers();
    expect(plain.errors?.length).toBeGreaterThan(0);
    const failures = (result: typeof jit | typeof plain) =>
      (result.errors ?? []).map((error) => [error.message, error.path]);
    expect(failures(jit)).toEqual(failures(plain));
    expect(failures(jit)[0]![0]).toBe("no amount today");
    expect(JSON.parse(JSON.stringify(jit.data))).toEqual(
      JSON.parse(JSON.stringify(plain.data)),
    );
  });

  it("leaves each field read as a property as it was once an operation is compiled: its name, its resolver", async () => {
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
    const read: string[] = [];
    for (const type of Object.values(schema.getTypeMap()))
      if (isObjectType(type))
        for (const [name, field] of Object.entries(type.getFields()))
          if (field.extensions[PROPERTY_READ]) {
            read.push(`${type.name}.${name}`);
            expect(field.name).toBe(name);
            expect(field.resolve).toBeTypeOf("function");
          }
    expect(read).toContain("Partnership.id");
    expect(read).toContain("SavingsFigure.amount");
    expect(read).toContain("FundingAward.amount");
  });
});

import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import {
  responsePathArray,
  responsePathKey,
  rootNullingPaths,
} from "../../server/root-nulling-paths.js";

const schema = buildSchema(`
  interface Named { name: String! }
  type Council implements Named { name: String! code: String }
  type Partnership implements Named {
    name: String!
    members: [Council!]!
    looseMembers: [Council]!
    host: Council
    lead: Council!
  }
  type Query {
    partnerships: [Partnership!]!
    partnership: Partnership
    named: [Named!]!
    total: Int!
  }
`);

const paths = (query: string, operationName?: string) =>
  [...rootNullingPaths(schema, parse(query), operationName)].sort();

describe("the response paths whose error nulls the whole answer", () => {
  it("follows non-null fields and non-null list items from the root, and stops at the first nullable one", () => {
    expect(
      paths(`{
        total
        partnership { name }
        partnerships {
          name
          members { name code }
          looseMembers { name }
          host { name }
          lead { name }
        }
      }`),
    ).toEqual(
      [
        "partnerships",
        "partnerships.*.lead",
        "partnerships.*.lead.name",
        "partnerships.*.members",
        "partnerships.*.members.*.name",
        "partnerships.*.name",
        "partnerships.*.looseMembers",
        "total",
      ].sort(),
    );
  });

  it("uses aliases, fragments and the chosen operation", () => {
    expect(
      paths(
        `query A { partnership { name } }
         query B { all: partnerships { ...P } named { ... on Council { code name } } }
         fragment P on Partnership { lead { n: name } }`,
        "B",
      ),
    ).toEqual(["all", "all.*.lead", "all.*.lead.n", "named", "named.*.name"]);
  });

  it("counts a path reached nullably through one fragment as not nulling the root", () => {
    expect(
      paths(
        `{ partnerships { lead { name } ... on Partnership { lead: host { name } } } }`,
      ),
    ).toEqual(["partnerships"]);
  });

  it("writes a resolver's path the same way", () => {
    const path = {
      key: "name",
      prev: { key: 3, prev: { key: "partnerships", prev: undefined } },
    };
    expect(responsePathKey(path)).toBe("partnerships.*.name");
    expect(responsePathArray(path)).toEqual(["partnerships", 3, "name"]);
  });
});

import { GraphQLError, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { checkStringArguments } from "../../server/string-arguments.js";

/** What checkStringArguments throws for `query` and `variables`, or null when it takes them. */
function refusal(
  query: string,
  variables: Record<string, unknown> = {},
): { message: string; code: unknown; argument: unknown } | null {
  try {
    checkStringArguments(parse(query), variables, 1_000);
    return null;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return {
      message: error.message,
      code: error.extensions.code,
      argument: error.extensions.argument,
    };
  }
}

// The published schema has no input-object or list argument yet (issue 15.13 asks for them to be
// covered before one is added), so the rule is held on documents parsed without a schema.
describe("a NUL character deeper than a plain string argument", () => {
  it.each([
    [
      "an input object, written in the query",
      '{ things(filter: { name: "a\\u0000b" }) { id } }',
      {},
      "filter.name",
    ],
    [
      "an input object, as a variable",
      "query ($f: Filter) { things(filter: $f) { id } }",
      { f: { name: "a\0b" } },
      "filter.name",
    ],
    [
      "a list, written in the query",
      '{ things(codes: ["E06000049", "E0\\u00006"]) { id } }',
      {},
      "codes[1]",
    ],
    [
      "a list, as a variable",
      "query ($c: [String!]) { things(codes: $c) { id } }",
      { c: ["E06000049", "E0\u00006"] },
      "codes[1]",
    ],
    [
      "a list inside an input object, as a variable",
      "query ($f: Filter) { things(filter: $f) { id } }",
      { f: { codes: ["ok", "\0"] } },
      "filter.codes[1]",
    ],
  ])(
    "refuses one inside %s with BAD_USER_INPUT naming where it is",
    (_where, query, variables, argument) => {
      expect(refusal(query, variables)).toEqual({
        message: expect.stringMatching(
          new RegExp(
            `"${argument.replace(/[[\].]/g, "\\$&")}" of "things" holds a NUL`,
          ),
        ),
        code: "BAD_USER_INPUT",
        argument,
      });
    },
  );

  it("takes the same input objects and lists without a NUL", () => {
    expect(
      refusal('{ things(filter: { name: "ab", codes: ["x"] }) { id } }'),
    ).toBeNull();
    expect(
      refusal("query ($f: Filter) { things(filter: $f) { id } }", {
        f: { name: "ab", codes: ["x"] },
      }),
    ).toBeNull();
  });
});

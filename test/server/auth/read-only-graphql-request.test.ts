import { describe, expect, it } from "vitest";
import { isReadOnlyGraphqlRequest } from "../../../server/auth/read-only-graphql-request.js";

const none = new URLSearchParams();
const post = (query: unknown) =>
  isReadOnlyGraphqlRequest("POST", { query }, none);

describe("isReadOnlyGraphqlRequest", () => {
  it("takes a document naming no mutation or subscription for queries only", () => {
    expect(post("{ councils { totalCount } }")).toBe(true);
    expect(
      post("query Page($code: String!) { council(code: $code) { id } }"),
    ).toBe(true);
    // Names that only contain the word are still queries.
    expect(
      post("{ mutations: councils { totalCount } _mutation: viewer { name } }"),
    ).toBe(true);
  });

  it("refuses any document with a mutation or subscription keyword, wherever it is", () => {
    expect(
      post("mutation ($id: ID!) { cancelImportJob(id: $id) { state } }"),
    ).toBe(false);
    expect(post("mutation{cancelImportJob(id: 1){state}}")).toBe(false);
    expect(
      post(
        "query A { viewer { name } }\nmutation B { cancelImportJob(id: 1) { state } }",
      ),
    ).toBe(false);
    expect(post("subscription { jobs { id } }")).toBe(false);
    // In a string or a comment: not a mutation, but waiting for the check is always safe.
    expect(post('{ council(code: "mutation") { id } }')).toBe(false);
  });

  it("refuses what it cannot read as a document: a persisted query by hash, a batch, a text body", () => {
    expect(
      isReadOnlyGraphqlRequest(
        "POST",
        { extensions: { persistedQuery: {} } },
        none,
      ),
    ).toBe(false);
    expect(
      isReadOnlyGraphqlRequest(
        "POST",
        [{ query: "{ viewer { name } }" }],
        none,
      ),
    ).toBe(false);
    expect(isReadOnlyGraphqlRequest("POST", "{ viewer { name } }", none)).toBe(
      false,
    );
    expect(isReadOnlyGraphqlRequest("POST", undefined, none)).toBe(false);
  });

  it("reads a GET request's document from ?query=", () => {
    const search = (query: string) => new URLSearchParams({ query });
    expect(
      isReadOnlyGraphqlRequest("GET", undefined, search("{ viewer { name } }")),
    ).toBe(true);
    expect(
      isReadOnlyGraphqlRequest("GET", undefined, search("mutation { x }")),
    ).toBe(false);
    expect(isReadOnlyGraphqlRequest("GET", undefined, none)).toBe(false);
  });
});

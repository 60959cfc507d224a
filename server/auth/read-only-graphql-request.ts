// Any operation that is not a query must say so with its keyword: GraphQL has no other way to write
// a mutation or a subscription (the `{ … }` shorthand is always a query), and keywords are whole
// names ([_0-9A-Za-z] on both sides, as \b finds them). The word anywhere (a string, a comment, a
// field of that name) only makes the request wait for its check, which is always safe.
const NOT_A_QUERY = /\b(?:mutation|subscription)\b/;

/**
 * Whether a GraphQL request over HTTP can only run queries, which have no side effects: its document
 * is given as text (a JSON body's `query`, or GET's `?query=`) and names no mutation or subscription.
 * Anything else (a persisted query by hash, a batch, a body that is not JSON) is not known to be one.
 */
export function isReadOnlyGraphqlRequest(
  method: string,
  body: unknown,
  search: URLSearchParams,
): boolean {
  const document =
    method === "GET"
      ? search.get("query")
      : body && typeof body === "object" && !Array.isArray(body)
        ? (body as { query?: unknown }).query
        : undefined;
  return typeof document === "string" && !NOT_A_QUERY.test(document);
}

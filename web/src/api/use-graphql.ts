import { useEffect, useState } from "react";
import { graphql, HubRequestError } from "./hub-request";

/** The state of a query: loading, its data, or an error sentence. */
export type QueryState<T> =
  | { kind: "loading" }
  | { kind: "done"; data: T }
  | { kind: "failed"; error: HubRequestError };

/** Runs `query` whenever its variables change (null variables: do not run yet). */
export function useGraphql<T>(
  query: string,
  variables: Record<string, unknown> | null,
): QueryState<T> {
  const [state, setState] = useState<QueryState<T>>({ kind: "loading" });
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (variables === null) return;
    let live = true;
    setState({ kind: "loading" });
    graphql<T>(query, variables).then(
      (data) => live && setState({ kind: "done", data }),
      (error: unknown) =>
        live &&
        setState({
          kind: "failed",
          error:
            error instanceof HubRequestError
              ? error
              : new HubRequestError(String(error), "", 0),
        }),
    );
    return () => {
      live = false;
    };
  }, [query, key]);
  return state;
}

import type { ReactNode } from "react";
import type { QueryState } from "../api/use-graphql";

/** An error sentence, announced to screen readers. */
export function ErrorMessage({ children }: { children: ReactNode }) {
  return (
    <p className="error" role="alert">
      {children}
    </p>
  );
}

/** Renders a query's data, or says that it is loading or why it failed. */
export function Loaded<T>({
  state,
  children,
}: {
  state: QueryState<T>;
  children: (data: T) => ReactNode;
}) {
  if (state.kind === "loading")
    return (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  if (state.kind === "failed")
    return <ErrorMessage>{state.error.message}</ErrorMessage>;
  return <>{children(state.data)}</>;
}

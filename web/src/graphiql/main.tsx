import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { GraphiQL } from "graphiql";
import { buildSchema, GraphQLError, type ExecutionResult } from "graphql";
import { StrictMode, useState, type FormEvent } from "react";
import { createRoot } from "react-dom/client";
import sdl from "../../../schema/schema.graphql?raw";
import {
  authorizationHeader,
  sessionToken,
  setSessionToken,
} from "../api/session-token";
import { readmeExamples } from "./readme-examples";
import "./graphiql-page.css";

// The committed schema gives the IDE its docs and completion without an introspection request, so it
// works the same in production (where introspection is off) as in development.
const schema = buildSchema(sdl);

type FetcherParams = {
  query: string;
  variables?: unknown;
  operationName?: string | null;
};

/** Posts to the hub's own /graphql: the tab's token, unless the headers editor sets one. */
async function fetcher(
  params: FetcherParams,
  options?: { headers?: Record<string, unknown> },
): Promise<ExecutionResult> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...authorizationHeader(),
  };
  for (const [key, value] of Object.entries(options?.headers ?? {}))
    headers[key.toLowerCase()] = String(value);
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify(params),
    });
  } catch {
    return {
      errors: [
        new GraphQLError(
          "The hub cannot be reached. Check that it is running, then run the query again.",
        ),
      ],
    };
  }
  const body = (await response.json()) as ExecutionResult;
  if (response.status !== 401) return body;
  return {
    ...body,
    errors: (body.errors ?? []).map(
      (e) =>
        new GraphQLError(
          `${e.message} Paste a valid token in the field above the editor.`,
          { extensions: e.extensions },
        ),
    ),
  };
}

function TokenBar() {
  const [token, setToken] = useState(sessionToken() ?? "");
  const [saved, setSaved] = useState(sessionToken() !== null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSessionToken(token.trim() || null);
    setSaved(Boolean(token.trim()));
  };
  return (
    <form className="token-bar" onSubmit={submit}>
      <a href="/">Shared Services Hub</a>
      <label htmlFor="ide-token">API token</label>
      <input
        id="ide-token"
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={token}
        placeholder="sshub_… (not needed in development)"
        onChange={(e) => {
          setToken(e.target.value);
          setSaved(false);
        }}
      />
      <button type="submit">Use token</button>
      <span role="status">
        {saved
          ? "Queries are sent with this token."
          : "No token: anonymous (development only)."}
      </span>
    </form>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <div className="ide">
      <TokenBar />
      <div className="ide-editor">
        <GraphiQL
          fetcher={fetcher}
          schema={schema}
          defaultTabs={readmeExamples()}
        />
      </div>
    </div>
  </StrictMode>,
);

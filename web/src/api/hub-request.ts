import { explainError } from "./explain-error";
import { authorizationHeader } from "./session-token";

/** What went wrong talking to the hub, in words a person can act on; `code` is the hub's error code. */
export class HubRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Sent on `window` when the hub refuses the tab's token (expired, revoked): the page asks for a new one. */
export const TOKEN_REFUSED_EVENT = "sshub:token-refused";

function refused(status: number, message: string): void {
  if (status === 401)
    window.dispatchEvent(
      new CustomEvent(TOKEN_REFUSED_EVENT, { detail: message }),
    );
}

const UNREACHABLE =
  "The hub cannot be reached. Check your connection and that the hub is running, then try again.";

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, {
      ...init,
      headers: { ...authorizationHeader(), ...init.headers },
    });
  } catch {
    throw new HubRequestError(UNREACHABLE, "UNREACHABLE", 0);
  }
}

interface GraphqlAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Runs a GraphQL operation as the signed-in token; throws a HubRequestError on any error. */
export async function graphql<T>(
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await send("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  let body: GraphqlAnswer<T>;
  try {
    body = (await response.json()) as GraphqlAnswer<T>;
  } catch {
    throw new HubRequestError(
      explainError(response.status, "", ""),
      "BAD_ANSWER",
      response.status,
    );
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? "";
    refused(
      response.status,
      explainError(response.status, code, first.message),
    );
    throw new HubRequestError(
      explainError(response.status, code, first.message),
      code,
      response.status,
    );
  }
  if (!body.data)
    throw new HubRequestError(
      explainError(response.status, "", ""),
      "BAD_ANSWER",
      response.status,
    );
  return body.data;
}

/** Calls one of the hub's HTTP routes (imports, exports) as the signed-in token. */
export async function hubFetch(
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const response = await send(path, init);
  if (response.ok || response.status === 422) return response;
  let message = "";
  let code = "";
  try {
    const body = (await response.json()) as {
      error?: string;
      code?: string;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    message = body.error ?? body.errors?.[0]?.message ?? "";
    code = body.code ?? body.errors?.[0]?.extensions?.code ?? "";
  } catch {
    // Not JSON: the status says enough.
  }
  refused(response.status, explainError(response.status, code, message));
  throw new HubRequestError(
    explainError(response.status, code, message),
    code,
    response.status,
  );
}

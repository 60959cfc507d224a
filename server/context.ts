import type { EntityManager } from "@mikro-orm/postgresql";
import { AccessScope } from "./auth/access-scope.js";
import type { Caller } from "./caller.js";
import { createLoaders, type Loaders } from "./loaders.js";

/** Everything a resolver may use, made fresh for each request: nothing is shared between requests. */
export interface Context {
  /** A fork of the ORM's EntityManager: its identity map lives and dies with the request. */
  em: EntityManager;
  caller: Caller;
  /** The partnerships whose figures the caller may see; every savings query applies it. */
  scope: AccessScope;
  loaders: Loaders;
  /** Logged with masked internal errors so an operator can find them. */
  requestId: string;
}

/** Builds a request's context from the ORM's root EntityManager. */
export async function createContext(
  rootEm: EntityManager,
  caller: Caller,
  requestId: string,
): Promise<Context> {
  const em = rootEm.fork();
  const scope = await AccessScope.of(em, caller);
  return { em, caller, scope, loaders: createLoaders(em, scope), requestId };
}

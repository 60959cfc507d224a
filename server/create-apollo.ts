import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from "@apollo/server/plugin/landingPage/default";
import type { GraphQLSchema } from "graphql";
import type { Context } from "./context.js";
import { errorLoggingPlugin, makeFormatError } from "./error-handling.js";

/** Options of the Apollo server. */
export interface ApolloOptions {
  schema: GraphQLSchema;
  /** `NODE_ENV=production`: no introspection, no landing page, internal errors masked. */
  production: boolean;
  log: (line: string) => void;
}

/** Builds (but does not start) the hub's Apollo server. CSRF prevention stays on (Apollo's default). */
export function createApollo({
  schema,
  production,
  log,
}: ApolloOptions): ApolloServer<Context> {
  return new ApolloServer<Context>({
    schema,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // The CLI owns shutdown: it stops HTTP, Apollo, the ORM and the embedded database in order.
    stopOnTerminationSignals: false,
    formatError: makeFormatError(production),
    plugins: [
      errorLoggingPlugin(log),
      production
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ footer: false }),
    ],
  });
}

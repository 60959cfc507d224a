import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import type { GraphQLSchema } from "graphql";
import type { Context } from "./context.js";
import { compiledExecution } from "./compiled-execution.js";
import { RequestScope } from "./request-scope.js";
import { sqlAnswerPieces } from "./sql-answers/sql-answer-plan.js";
import { errorLoggingPlugin, makeFormatError } from "./error-handling.js";
import { graphqlMetricsPlugin } from "./graphql-metrics-plugin.js";
import {
  queryLimitsFromEnv,
  queryLimitsPlugin,
  type QueryLimits,
} from "./query-limits.js";

/** Options of the Apollo server. */
export interface ApolloOptions {
  schema: GraphQLSchema;
  /** `NODE_ENV=production`: no introspection, internal errors masked. */
  production: boolean;
  log: (line: string) => void;
  /** Depth and cost limits; default: from SSHUB_MAX_QUERY_DEPTH and SSHUB_MAX_QUERY_COST. */
  limits?: QueryLimits;
  /** Whether PostgreSQL answers the operations it can build whole (default true; see compiledExecution). */
  sqlAnswers?: boolean;
}

/** Builds (but does not start) the hub's Apollo server. CSRF prevention stays on (Apollo's default). */
export function createApollo({
  schema,
  production,
  log,
  limits = queryLimitsFromEnv(),
  sqlAnswers = true,
}: ApolloOptions): ApolloServer<Context> {
  return new ApolloServer<Context>({
    // graphql-jit runs the operations: it halved the deep list's CPU (bench:graphql).
    gateway: compiledExecution(schema, { sqlAnswers }),
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // The CLI owns shutdown: it stops HTTP, Apollo, the ORM and the embedded database in order.
    stopOnTerminationSignals: false,
    formatError: makeFormatError(production),
    // Apollo indents its answers by default: a deep list's JSON was twice as long, and as costly to make.
    // An answer PostgreSQL wrote whole is sent as its text (sql-answers/), held by the request
    // (the HTTP server writes it) rather than made into one long string here.
    stringifyResult: (result) => {
      const pieces = sqlAnswerPieces(result);
      if (!pieces) return JSON.stringify(result);
      return RequestScope.current()?.holdBody(pieces) ?? pieces.join("");
    },
    plugins: [
      // Apollo's cache-control plugin wraps every field's resolver to collect cache hints, which
      // the hub never gives: every answer is per caller, so it is sent as no-store instead.
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart() {
          return {
            async willSendResponse({ response }) {
              response.http.headers.set("cache-control", "no-store");
            },
          };
        },
      },
      errorLoggingPlugin(log),
      graphqlMetricsPlugin(),
      queryLimitsPlugin(limits),
      // Apollo's landing page loads its scripts from Apollo's CDN; browsers get the hub's own
      // GraphiQL at /graphql instead (server/web-site.ts).
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
}

import type { ApolloServerPlugin } from "@apollo/server";
import { graphqlErrors } from "../observability/http-metrics.js";
import type { Context } from "./context.js";
import { RequestScope } from "./request-scope.js";

/**
 * Tells the request's scope its GraphQL operation name (for the access log and the request metrics)
 * and counts the errors sent back by their code, as the client saw them (after formatError).
 */
export function graphqlMetricsPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName }) {
          const scope = RequestScope.current();
          if (scope && operationName)
            scope.operation = operationName.slice(0, 100);
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          for (const error of response.body.singleResult.errors ?? []) {
            const code = error.extensions?.code;
            graphqlErrors.inc({
              code: typeof code === "string" ? code.slice(0, 64) : "NONE",
            });
          }
        },
      };
    },
  };
}

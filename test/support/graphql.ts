import type { ApolloServer } from "@apollo/server";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { FormattedExecutionResult, GraphQLSchema } from "graphql";
import { buildHubSchema } from "../../server/build-schema.js";
import {
  anonymousDevelopmentViewer,
  type Caller,
} from "../../server/caller.js";
import { createApollo } from "../../server/create-apollo.js";
import { createContext, type Context } from "../../server/context.js";

/** Runs GraphQL operations through Apollo's `executeOperation` with a real per-request context. */
export interface TestGraphql {
  apollo: ApolloServer<Context>;
  /** The schema Apollo serves (its resolvers as the compiled executor runs them). */
  schema: GraphQLSchema;
  /** Lines the server logged (masked internal errors). */
  logs: string[];
  run<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    caller?: Caller,
  ): Promise<FormattedExecutionResult<T>>;
}

/** Builds the hub's Apollo server over `orm`, as production or development. */
export async function createTestGraphql(
  orm: MikroORM,
  options: {
    production?: boolean;
    caller?: Caller;
    /** False: every operation through the resolvers, none answered whole by PostgreSQL. */
    sqlAnswers?: boolean;
  } = {},
): Promise<TestGraphql> {
  const logs: string[] = [];
  const schema = await buildHubSchema();
  const apollo = createApollo({
    schema,
    production: options.production ?? false,
    log: (line) => logs.push(line),
    ...(options.sqlAnswers === undefined
      ? {}
      : { sqlAnswers: options.sqlAnswers }),
  });
  let requests = 0;
  return {
    apollo,
    schema,
    logs,
    async run<T>(
      query: string,
      variables?: Record<string, unknown>,
      caller: Caller = options.caller ?? anonymousDevelopmentViewer,
    ) {
      const response = await apollo.executeOperation<T>(
        { query, ...(variables ? { variables } : {}) },
        {
          contextValue: await createContext(
            orm.em,
            caller,
            `test-${++requests}`,
          ),
        },
      );
      if (response.body.kind !== "single")
        throw new Error("expected a single result");
      return response.body.singleResult;
    },
  };
}

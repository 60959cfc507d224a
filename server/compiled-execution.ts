import type {
  GatewayExecutor,
  GatewayInterface,
} from "@apollo/server-gateway-interface";
import {
  execute,
  GraphQLError,
  printSchema,
  type GraphQLSchema,
} from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";

/** How many compiled operations are kept; the API's clients send a few dozen distinct ones. */
const COMPILED_OPERATIONS = 500;

/**
 * Apollo's executor hook (its gateway interface, the one place Apollo lets another executor run a
 * validated operation) with graphql-jit: each distinct operation is compiled once into a function
 * that walks the selection without graphql-js's per-field bookkeeping. Resolvers, parsing,
 * validation, plugins (query limits), error formatting and HTTP stay Apollo's and type-graphql's.
 */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  const compiled = new Map<string, CompiledQuery>();
  const executor: GatewayExecutor = async (request) => {
    const key = `${request.operationName ?? ""}\u0000${request.source}`;
    let query = compiled.get(key);
    if (!query) {
      const result = compileQuery(
        schema,
        request.document,
        request.operationName ?? undefined,
      );
      if (!isCompiledQuery(result)) return result;
      query = result;
      if (compiled.size >= COMPILED_OPERATIONS)
        compiled.delete(compiled.keys().next().value!);
      compiled.set(key, query);
    }
    const result = await query.query(
      undefined,
      request.context,
      request.request.variables ?? {},
    );
    // No data: the variables did not coerce and nothing ran. graphql-js words those errors the
    // way Apollo recognises as BAD_USER_INPUT (and keeps a scalar's own error), so it answers.
    if (!("data" in result))
      return execute({
        schema,
        document: request.document,
        operationName: request.operationName,
        variableValues: request.request.variables,
        contextValue: request.context,
      });
    return result.errors
      ? { ...result, errors: result.errors.map(asGraphqlError) }
      : result;
  };
  let sdl: string | null = null;
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({
        apiSchema: schema,
        get coreSupergraphSdl() {
          return (sdl ??= printSchema(schema));
        },
      });
      return () => {};
    },
    async load() {
      return { executor };
    },
    async stop() {},
  };
}

/**
 * graphql-jit's errors are its own class; Apollo (and the hub's error formatting) recognise a
 * resolver's error, its code and its original error only on graphql-js's GraphQLError.
 */
function asGraphqlError(error: GraphQLError): GraphQLError {
  if (Object.getPrototypeOf(error) === GraphQLError.prototype) return error;
  const converted = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
  if (error.locations)
    Object.defineProperty(converted, "locations", {
      value: error.locations,
      enumerable: true,
    });
  return converted;
}

import type {
  GatewayExecutor,
  GatewayInterface,
} from "@apollo/server-gateway-interface";
import {
  execute,
  GraphQLError,
  isObjectType,
  locatedError,
  printSchema,
  type ExecutionResult,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import { PROPERTY_READ } from "./build-schema.js";
import type { Context } from "./context.js";
import {
  sqlAnswerPlan,
  type SqlAnswerPlan,
} from "./sql-answers/sql-answer-plan.js";
import {
  responsePathArray,
  responsePathKey,
  rootNullingPaths,
} from "./root-nulling-paths.js";

/** How many compiled operations are kept; the API's clients send a few dozen distinct ones. */
const COMPILED_OPERATIONS = 500;

/** Where a request's context carries its FailureWatch while graphql-jit runs it. */
const WATCH = Symbol("failure watch");

/**
 * The resolvers' failures of one compiled run, as they happen. graphql-jit settles a query only
 * once every field has, even when a non-null field's error has nulled the whole answer already;
 * graphql-js answers at once, and the request's end then stops the other fields' work (in
 * PostgreSQL too). The watch decides the answer at the first failure that nulls the root.
 */
class FailureWatch {
  private readonly errors: GraphQLError[] = [];
  private decide!: (result: ExecutionResult) => void;
  /** Settles with the answer when a failure has decided it before the run has ended. */
  readonly decided = new Promise<ExecutionResult>((resolve) => {
    this.decide = resolve;
  });

  constructor(private readonly rootNulling: ReadonlySet<string>) {}

  failed(error: unknown, info: GraphQLResolveInfo): void {
    this.errors.push(
      locatedError(error, info.fieldNodes, responsePathArray(info.path)),
    );
    if (this.rootNulling.has(responsePathKey(info.path)))
      this.decide({ data: null, errors: [...this.errors] });
  }
}

/** `resolve`, telling the request's FailureWatch (when it has one) when it throws or rejects. */
function reportingFailures(
  resolve: GraphQLFieldResolver<unknown, unknown>,
): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info) => {
    const watch = (context as { [WATCH]?: FailureWatch } | null)?.[WATCH];
    if (!watch) return resolve(source, args, context, info);
    try {
      const value = resolve(source, args, context, info);
      if (
        value !== null &&
        typeof value === "object" &&
        typeof (value as PromiseLike<unknown>).then === "function"
      )
        return (value as Promise<unknown>).catch((error: unknown) => {
          watch.failed(error, info);
          throw error;
        });
      return value;
    } catch (error) {
      watch.failed(error, info);
      throw error;
    }
  };
}

// The resolvers wrapped already: a schema served by several Apollo servers (tests) is wrapped once.
const reporting = new WeakSet<GraphQLFieldResolver<unknown, unknown>>();

interface CompiledOperation {
  query: CompiledQuery;
  rootNulling: ReadonlySet<string>;
  /** The operation's answer built whole by PostgreSQL, where it can be (sql-answers/); null: the resolvers answer. */
  sqlAnswer: SqlAnswerPlan | null;
}

/** How compiledExecution runs operations. */
export interface ExecutionOptions {
  /**
   * Answer the operations PostgreSQL can render whole in one statement (sql-answers/); default
   * true. Off only for tests that compare its answers with the resolvers'.
   */
  sqlAnswers?: boolean;
}

/**
 * Apollo's executor hook (its gateway interface, the one place Apollo lets another executor run a
 * validated operation) with graphql-jit: each distinct operation is compiled once into a function
 * that walks the selection without graphql-js's per-field bookkeeping. Resolvers, parsing,
 * validation, plugins (query limits), error formatting and HTTP stay Apollo's and type-graphql's.
 * A failure that nulls the whole answer answers at once, as graphql-js does (FailureWatch).
 * Wraps `schema`'s resolvers (they behave as before when graphql-js runs them).
 */
export function compiledExecution(
  schema: GraphQLSchema,
  { sqlAnswers = true }: ExecutionOptions = {},
): GatewayInterface {
  for (const type of Object.values(schema.getTypeMap()))
    if (isObjectType(type) && !type.name.startsWith("__"))
      for (const field of Object.values(type.getFields()))
        if (field.resolve && !reporting.has(field.resolve)) {
          field.resolve = reportingFailures(field.resolve);
          reporting.add(field.resolve);
        }
  const propertyReads = propertyReadFields(schema);
  const compiled = new Map<string, CompiledOperation>();
  const executor: GatewayExecutor = async (request) => {
    const key = `${request.operationName ?? ""}\u0000${request.source}`;
    let operation = compiled.get(key);
    if (!operation) {
      const query = compiledReadingProperties(propertyReads, () =>
        compileQuery(
          schema,
          request.document,
          request.operationName ?? undefined,
        ),
      );
      if (!isCompiledQuery(query)) return query;
      operation = {
        query,
        rootNulling: rootNullingPaths(
          schema,
          request.document,
          request.operationName,
        ),
        sqlAnswer: sqlAnswers
          ? sqlAnswerPlan(
              schema,
              (request.context as Context).em,
              request.document,
              request.operationName,
            )
          : null,
      };
      if (compiled.size >= COMPILED_OPERATIONS)
        compiled.delete(compiled.keys().next().value!);
      compiled.set(key, operation);
    }
    if (operation.sqlAnswer) {
      const answered = await operation.sqlAnswer.answer(
        (request.context as Context).em,
        request.request.variables,
      );
      if (answered) return answered;
    }
    const context = request.context as { [WATCH]?: FailureWatch };
    const watch = new FailureWatch(operation.rootNulling);
    context[WATCH] = watch;
    const run = operation.query.query(
      undefined,
      request.context,
      request.request.variables ?? {},
    );
    const result = await (run instanceof Promise
      ? Promise.race([run, watch.decided])
      : run);
    context[WATCH] = undefined;
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

/** The fields build-schema made readable from a property of their objects, each with that property (PROPERTY_READ). */
function propertyReadFields(schema: GraphQLSchema): PropertyRead[] {
  return Object.values(schema.getTypeMap()).flatMap((type) =>
    isObjectType(type) && !type.name.startsWith("__")
      ? Object.values(type.getFields()).flatMap((field) => {
          const property = field.extensions[PROPERTY_READ];
          return typeof property === "string" ? [{ field, property }] : [];
        })
      : [],
  );
}

interface PropertyRead {
  field: GraphQLField<unknown, unknown>;
  property: string;
}

/**
 * `compile()` with each of `reads` compiled as a read of its property instead of through its
 * resolver. graphql-jit runs a field with a resolver through a resolver call (a resolve info, a
 * response path of one object per level, three closures, an error check: most of a deep list's
 * garbage, which gives out ~2,100 ids a request) and inlines a field without one as a read of the
 * property named by the field. So, while the operation compiles (synchronously), each such field
 * has no resolver and its property's name; both are put back at once, for graphql-js,
 * introspection and the schema's printing. Null-checks and the serialisation of the read value
 * stay graphql-jit's.
 */
function compiledReadingProperties<T>(
  reads: readonly PropertyRead[],
  compile: () => T,
): T {
  const saved = reads.map(({ field }) => ({
    resolve: field.resolve,
    name: field.name,
  }));
  for (const { field, property } of reads) {
    field.resolve = undefined;
    field.name = property;
  }
  try {
    return compile();
  } finally {
    reads.forEach(({ field }, i) => {
      field.resolve = saved[i]!.resolve;
      field.name = saved[i]!.name;
    });
  }
}

import type { ApolloServerPlugin } from "@apollo/server";
import {
  ApolloServerErrorCode,
  unwrapResolverError,
} from "@apollo/server/errors";
import type { GraphQLError, GraphQLFormattedError } from "graphql";
import { ErrorCode, HubError } from "../errors/hub-error.js";
import type { Context } from "./context.js";
import { hubErrorOf } from "./hub-error-of.js";

/** Codes of errors the client caused, before or inside resolvers: shown as they are. */
const CLIENT_CODES = new Set<string>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  ErrorCode.BadUserInput,
  ErrorCode.QueryTooDeep,
  ErrorCode.QueryTooCostly,
]);

function isClientError(error: GraphQLError): boolean {
  const original = unwrapResolverError(error);
  if (original instanceof HubError) return true;
  const code = error.extensions?.code;
  return typeof code === "string" && CLIENT_CODES.has(code);
}

// GraphQL's "Did you mean "council" or "councils"?" names fields, arguments, types and enum values:
// the schema production does not tell. Apollo's hideSchemaDetailsFromClientErrors strips it from
// validation errors only; variables of the wrong value ("$measure" got "ACHIEVD") carry it too.
const SUGGESTION = / ?Did you mean(.+?)\?$/;

function withoutSuggestions(
  formatted: GraphQLFormattedError,
): GraphQLFormattedError {
  return SUGGESTION.test(formatted.message)
    ? { ...formatted, message: formatted.message.replace(SUGGESTION, "") }
    : formatted;
}

/**
 * Shapes every error sent to clients: a HubError (or what hubErrorOf makes of a statement timeout or
 * a lost database) keeps its message and code; GraphQL's own client
 * errors pass; anything else is a bug: masked outside development, with the request id to find the log line.
 * Production leaves out GraphQL's suggestions of names, as it leaves out introspection.
 */
export function makeFormatError(production: boolean) {
  return (
    shown: GraphQLFormattedError,
    error: unknown,
  ): GraphQLFormattedError => {
    const formatted = production ? withoutSuggestions(shown) : shown;
    const known = hubErrorOf(unwrapResolverError(error));
    if (known)
      return {
        ...formatted,
        message: known.message,
        extensions: { code: known.code },
      };
    const code = formatted.extensions?.code;
    // A literal argument of the wrong form ("2014/16" for a FinancialYear) fails validation; it is
    // the same mistake as a bad variable, which GraphQL reports as BAD_USER_INPUT: say so alike.
    if (
      code === ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED &&
      formatted.message.startsWith("Expected value of type")
    )
      return {
        ...formatted,
        extensions: { ...formatted.extensions, code: ErrorCode.BadUserInput },
      };
    if (typeof code === "string" && CLIENT_CODES.has(code)) return formatted;
    const requestId = formatted.extensions?.requestId;
    return {
      message: production ? "Internal server error" : formatted.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: {
        code: ApolloServerErrorCode.INTERNAL_SERVER_ERROR,
        ...(requestId ? { requestId } : {}),
      },
    };
  };
}

/** Logs every unexpected error with its request id, and tags the error with that id for the client. */
export function errorLoggingPlugin(
  log: (line: string) => void,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (isClientError(error)) continue;
            const original = unwrapResolverError(error);
            (error.extensions as Record<string, unknown>).requestId =
              contextValue.requestId;
            const detail =
              original instanceof Error
                ? (original.stack ?? original.message)
                : String(original);
            log(`request ${contextValue.requestId}: internal error: ${detail}`);
          }
        },
      };
    },
  };
}

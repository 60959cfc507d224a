import {
  GraphQLError,
  Kind,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type ValueNode,
} from "graphql";
import { BadInputError, ErrorCode } from "../errors/hub-error.js";
import { unstorableCharacter } from "../db/storable-text.js";

/**
 * Why a string argument cannot be taken (a character PostgreSQL cannot keep, or more than
 * `maxLength` characters), or null when it can. The one rule for GraphQL arguments
 * and HTTP query parameters.
 */
export function stringArgumentProblem(
  text: string,
  maxLength: number,
): string | null {
  const unstorable = unstorableCharacter(text);
  if (unstorable)
    return `holds ${unstorable}, which no text in the hub can contain.`;
  if (text.length > maxLength)
    return `is ${text.length} characters long; the most allowed is ${maxLength} (SSHUB_MAX_STRING_LENGTH).`;
  return null;
}

/**
 * Refuses a query parameter of an HTTP route that breaks the same rule as a GraphQL string argument,
 * naming the parameter, before the route reads any of them.
 */
export function checkQueryParameters(
  parameters: URLSearchParams,
  maxLength: number,
): void {
  for (const [name, value] of parameters) {
    const problem =
      stringArgumentProblem(name, maxLength) ??
      stringArgumentProblem(value, maxLength);
    if (problem)
      throw new BadInputError(
        `The query parameter "${name.slice(0, 100)}" ${problem}`,
        { parameter: name.slice(0, 100) },
      );
  }
}

/** A string argument the hub refuses: where it is (`search` of `councils`, `filter.name` of …) and why. */
function refuse(where: string, problem: string, argument: string) {
  return new GraphQLError(`The argument ${where} ${problem}`, {
    extensions: {
      code: ErrorCode.BadUserInput,
      argument,
      http: { status: 400 },
    },
  });
}

/**
 * Refuses, before anything runs, a string argument (written in the query or passed as a variable,
 * at any depth of a list or input object) that is longer than `maxLength` characters or holds a NUL
 * character, which PostgreSQL cannot store or compare in text. The error names the argument.
 */
export function checkStringArguments(
  document: DocumentNode,
  variables: Record<string, unknown>,
  maxLength: number,
): void {
  let field = "";
  const check = (text: string, path: string) => {
    const problem = stringArgumentProblem(text, maxLength);
    if (problem) throw refuse(`"${path}" of "${field}"`, problem, path);
  };
  const checkValue = (value: unknown, path: string): void => {
    if (typeof value === "string") check(value, path);
    else if (Array.isArray(value))
      value.forEach((item, index) => checkValue(item, `${path}[${index}]`));
    else if (value && typeof value === "object")
      for (const [key, item] of Object.entries(value))
        checkValue(item, `${path}.${key}`);
  };
  const checkNode = (node: ValueNode, path: string): void => {
    if (node.kind === Kind.STRING) check(node.value, path);
    else if (node.kind === Kind.VARIABLE)
      checkValue(variables[node.name.value], path);
    else if (node.kind === Kind.LIST)
      node.values.forEach((item, index) =>
        checkNode(item, `${path}[${index}]`),
      );
    else if (node.kind === Kind.OBJECT)
      for (const item of node.fields)
        checkNode(item.value, `${path}.${item.name.value}`);
  };
  for (const argument of argumentsOf(document)) {
    field = argument.field;
    checkNode(argument.node.value, argument.node.name.value);
  }
}

/** An argument of a document and the field (or `@directive`) it is given to. */
interface DocumentArgument {
  field: string;
  node: ArgumentNode;
}

// A document's arguments, found once: Apollo hands every request of the same query the same parsed
// document, so only the variables are new.
const documentArguments = new WeakMap<DocumentNode, DocumentArgument[]>();

function argumentsOf(document: DocumentNode): DocumentArgument[] {
  let found = documentArguments.get(document);
  if (!found) {
    const collected: DocumentArgument[] = [];
    let field = "";
    visit(document, {
      Field: (node) => void (field = node.name.value),
      Directive: (node) => void (field = `@${node.name.value}`),
      Argument: (node: ArgumentNode) => void collected.push({ field, node }),
    });
    found = collected;
    documentArguments.set(document, found);
  }
  return found;
}

import {
  GraphQLError,
  Kind,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type ValueNode,
} from "graphql";
import { ErrorCode } from "../errors/hub-error.js";

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
    const where = `"${path}" of "${field}"`;
    if (text.includes("\0"))
      throw refuse(
        where,
        "holds a NUL character (\\0), which no text in the hub can contain.",
        path,
      );
    if (text.length > maxLength)
      throw refuse(
        where,
        `is ${text.length} characters long; the most allowed is ${maxLength} (SSHUB_MAX_STRING_LENGTH).`,
        path,
      );
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
  visit(document, {
    Field: (node) => void (field = node.name.value),
    Directive: (node) => void (field = `@${node.name.value}`),
    Argument: (node: ArgumentNode) => checkNode(node.value, node.name.value),
  });
}

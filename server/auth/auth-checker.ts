import type { AuthChecker } from "type-graphql";
import { ForbiddenError } from "../../errors/hub-error.js";
import { Role, roleIncludes } from "../../schema/role.js";
import type { Caller } from "../caller.js";
import type { Context } from "../context.js";

/**
 * The one place roles are enforced for GraphQL: `@Authorized(Role.FINANCE)` on a query or field.
 * Refusals are FORBIDDEN (type-graphql's own error would say UNAUTHORIZED).
 */
export const authChecker: AuthChecker<Context, Role> = ({ context }, roles) => {
  for (const role of roles) assertRole(context.caller, role);
  return true;
};

/** Throws FORBIDDEN unless the caller's role includes `required`; the HTTP routes call it too. */
export function assertRole(caller: Caller, required: Role): void {
  if (!roleIncludes(caller.role, required)) throw ForbiddenError.role(required);
}

/**
 * Who may import over HTTP (POST /imports, the problems workbook, import jobs, the page's import
 * controls): the analyst role and a national token, since a council-bound token could otherwise write
 * figures for partnerships outside its scope.
 */
export function mayImportOverHttp(caller: Caller): boolean {
  return (
    roleIncludes(caller.role, Role.ANALYST) && caller.councilGssCodes === null
  );
}

/** Throws FORBIDDEN, saying which part is missing, unless `mayImportOverHttp(caller)`. */
export function assertMayImportOverHttp(caller: Caller): void {
  assertRole(caller, Role.ANALYST);
  if (!mayImportOverHttp(caller)) throw ForbiddenError.councilBoundImport();
}

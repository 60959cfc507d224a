import type { AuthChecker } from "type-graphql";
import { ForbiddenError } from "../../errors/hub-error.js";
import { roleIncludes, type Role } from "../../schema/role.js";
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

import type { AuthChecker } from "type-graphql";
import { ForbiddenError } from "../../errors/hub-error.js";
import { roleIncludes, type Role } from "../../schema/role.js";
import type { Context } from "../context.js";

/**
 * The one place roles are enforced for GraphQL: `@Authorized(Role.FINANCE)` on a query or field.
 * Refusals are FORBIDDEN (type-graphql's own error would say UNAUTHORIZED).
 */
export const authChecker: AuthChecker<Context, Role> = ({ context }, roles) => {
  const missing = roles.find(
    (role) => !roleIncludes(context.caller.role, role),
  );
  if (missing) throw ForbiddenError.role(missing);
  return true;
};

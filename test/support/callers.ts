import { Role } from "../../schema/role.js";
import type { Caller } from "../../server/caller.js";

/** A caller as a token of `role` would be, national unless bound to councils by GSS code. */
export function callerWith(
  role: Role,
  councilGssCodes: readonly string[] | null = null,
): Caller {
  return {
    name: `test ${role.toLowerCase()}${councilGssCodes ? ` (${councilGssCodes.join(" ")})` : ""}`,
    role,
    councilGssCodes,
  };
}

/** A national finance officer: may reconcile and export. */
export const nationalFinance = callerWith(Role.FINANCE);

import type { IncomingMessage } from "node:http";
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

/** The request header `callerFromTestRole` reads: "viewer", "bound", or none for an analyst. */
export const TEST_ROLE_HEADER = "x-test-role";

/**
 * A `callerFor` for startTestHttp that takes the caller from the TEST_ROLE_HEADER, so that one
 * server serves a national analyst (no header), a viewer ("viewer") and an analyst bound to
 * Chesterfield ("bound").
 */
export async function callerFromTestRole(
  req: IncomingMessage,
): Promise<Caller> {
  const role = req.headers[TEST_ROLE_HEADER];
  if (role === "viewer") return callerWith(Role.VIEWER);
  if (role === "bound") return callerWith(Role.ANALYST, ["E07000034"]);
  return callerWith(Role.ANALYST);
}

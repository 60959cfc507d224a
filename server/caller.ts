import { userInfo } from "node:os";
import { Role } from "../schema/role.js";

/** Who is making a request: a named token or operator, its role, and the councils it is bound to (null: national). */
export interface Caller {
  name: string;
  role: Role;
  councilGssCodes: readonly string[] | null;
}

/** The anonymous caller in development: a national viewer. */
export const anonymousDevelopmentViewer: Caller = Object.freeze({
  name: "anonymous (development)",
  role: Role.VIEWER,
  councilGssCodes: null,
});

/** The machine's operator running a local `sshub` command: a national admin, named after the OS user. */
export function operatorCaller(): Caller {
  let user = "operator";
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep the generic name.
  }
  return {
    name: `${user} (local sshub)`,
    role: Role.ADMIN,
    councilGssCodes: null,
  };
}

/** What a caller may do. Later issues add token-based roles; the local operator is an admin. */
export enum Role {
  VIEWER = "VIEWER",
  ANALYST = "ANALYST",
  FINANCE = "FINANCE",
  ADMIN = "ADMIN",
}

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

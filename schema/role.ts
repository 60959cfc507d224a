import { registerEnumType } from "type-graphql";

/**
 * What a caller may do. Each role can do everything the ones before it can: a viewer reads; an
 * analyst also imports over HTTP; finance also reconciles and exports; an admin also manages tokens.
 */
export enum Role {
  VIEWER = "VIEWER",
  ANALYST = "ANALYST",
  FINANCE = "FINANCE",
  ADMIN = "ADMIN",
}
registerEnumType(Role, {
  name: "Role",
  description: "What a caller may do; each role includes the ones before it.",
  valuesConfig: {
    VIEWER: { description: "Reads." },
    ANALYST: { description: "Reads, and imports workbooks over HTTP." },
    FINANCE: {
      description: "Reads, imports, reconciles savings and exports workbooks.",
    },
    ADMIN: {
      description:
        "Everything, including managing API tokens and reading the audit log.",
    },
  },
});

const RANK: Record<Role, number> = {
  VIEWER: 0,
  ANALYST: 1,
  FINANCE: 2,
  ADMIN: 3,
};

/** True when `role` includes `required`. */
export function roleIncludes(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

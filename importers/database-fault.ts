import { DriverException } from "@mikro-orm/core";

/** Five digits or capitals, as PostgreSQL spells every error code. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * The SQLSTATE (or "driver" when it has none) when error, or one of its causes, is PostgreSQL
 * refusing a statement (a deadlock, a lock not granted, a revoked grant, a trigger raising) or an
 * error MikroORM's driver wrapped; null otherwise. Such an error says nothing about the workbook, so
 * an import reports it as a database fault, never as a file it could not read.
 */
export function databaseFaultState(error: unknown): string | null {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const { code, severity, cause } = e as {
      code?: unknown;
      severity?: unknown;
      cause?: unknown;
    };
    // pg's DatabaseError (and a DriverException, which copies its fields) has the server's severity
    // beside the SQLSTATE; a Node errno such as EPIPE has none.
    const state = typeof code === "string" && SQLSTATE.test(code) ? code : null;
    if (state && typeof severity === "string") return state;
    if (e instanceof DriverException) return state ?? "driver";
    e = cause;
  }
  return null;
}

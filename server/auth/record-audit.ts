import type { EntityManager } from "@mikro-orm/postgresql";
import { AuditEvent, type AuditAction } from "../../schema/audit-event.js";
import type { Caller } from "../caller.js";

/** Queues an audit event on `em`; it is written with the work it records, in the same transaction. */
export function recordAudit(
  em: EntityManager,
  actor: Caller,
  action: AuditAction,
  details: Record<string, unknown>,
): AuditEvent {
  return em.create(AuditEvent, {
    actor: actor.name,
    action,
    details,
    at: new Date(),
  });
}

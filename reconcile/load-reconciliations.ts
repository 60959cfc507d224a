import type { EntityManager } from "@mikro-orm/postgresql";
import { Membership } from "../schema/membership.js";
import type { Partnership } from "../schema/partnership.js";
import { SavingsFigure } from "../schema/savings-figure.js";
import {
  reconcilePartnership,
  type ReconciliationInput,
} from "./reconcile-partnership.js";
import type {
  PartnershipReconciliation,
  ReconciliationQuery,
} from "./reconciliation.js";

/**
 * Loads what the reconciliations of `partnerships` need in two SQL statements, however many
 * partnerships, services, councils or figures: the memberships with their councils, and the
 * year's figures of the measure up to `asOf` with their services, councils, reporting councils
 * and import runs. The order they come in does not matter: the source rule decides.
 */
export async function loadReconciliationInputs(
  em: EntityManager,
  partnerships: readonly Partnership[],
  query: ReconciliationQuery,
): Promise<ReconciliationInput[]> {
  if (partnerships.length === 0) return [];
  const ids = partnerships.map((p) => p.id);
  // One after the other: an EntityManager is not meant for concurrent queries.
  const memberships = await em.find(
    Membership,
    { partnership: { $in: ids } },
    { populate: ["council"], orderBy: { id: "asc" } },
  );
  const figures = await em.find(
    SavingsFigure,
    {
      service: { partnership: { $in: ids } },
      financialYear: query.financialYear,
      measure: query.measure,
      ...(query.asOf ? { reportingPeriod: { $lte: query.asOf } } : {}),
    },
    {
      populate: ["service", "council", "reportedBy", "importRun"],
      orderBy: { id: "asc" },
    },
  );
  return partnerships.map((partnership) => ({
    partnership,
    memberships: memberships.filter((m) => m.partnership.id === partnership.id),
    figures: figures.filter((f) => f.service.partnership.id === partnership.id),
  }));
}

/** Loads and reconciles each partnership, in the order given. */
export async function loadReconciliations(
  em: EntityManager,
  partnerships: readonly Partnership[],
  query: ReconciliationQuery,
): Promise<PartnershipReconciliation[]> {
  const inputs = await loadReconciliationInputs(em, partnerships, query);
  return inputs.map((input) => reconcilePartnership(input, query));
}

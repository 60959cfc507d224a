import type { EntityManager } from "@mikro-orm/postgresql";
import type { Council } from "../schema/council.js";
import { Partnership } from "../schema/partnership.js";
import {
  councilSavingsPosition,
  type CouncilSavingsPosition,
} from "./council-savings-position.js";
import { loadReconciliations } from "./load-reconciliations.js";
import type { ReconciliationQuery } from "./reconciliation.js";

/**
 * A council's savings position in three SQL statements: the partnerships it is a member of or
 * reports figures for, then those partnerships' reconciliations (see `loadReconciliationInputs`).
 * Whole partnerships are reconciled because a share depends on every member's agreed share.
 */
export async function loadCouncilSavingsPosition(
  em: EntityManager,
  council: Council,
  query: ReconciliationQuery,
  /** Which partnerships the caller may see figures of; the others are left out entirely. */
  visible: (partnershipId: number) => boolean = () => true,
): Promise<CouncilSavingsPosition> {
  const rows = await em.getConnection().execute<Record<string, unknown>[]>(
    `select p.* from partnership p
      where exists (select 1 from membership m where m.partnership_id = p.id and m.council_id = ?)
         or exists (select 1 from savings_figure f join service s on s.id = f.service_id
                     where s.partnership_id = p.id and f.council_id = ?
                       and f.financial_year = ? and f.measure = ?)
      order by p.name, p.id`,
    [council.id, council.id, query.financialYear, query.measure],
  );
  const partnerships = rows
    .map((row) => em.map(Partnership, row))
    .filter((p) => visible(p.id));
  const reconciliations = await loadReconciliations(em, partnerships, query);
  return councilSavingsPosition(council, reconciliations, query);
}

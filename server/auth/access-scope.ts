import type { EntityManager } from "@mikro-orm/postgresql";
import { ForbiddenError } from "../../errors/hub-error.js";
import type { Caller } from "../caller.js";

/**
 * The partnerships whose savings, reconciliations, exports and import runs a caller may see. A
 * national caller sees all; a token bound to councils sees the partnerships those councils are
 * members of. Structure (councils, partnerships, services, governance) is never scoped.
 */
export class AccessScope {
  private constructor(
    /** Null: national. */
    readonly partnershipIds: readonly number[] | null,
  ) {}

  /** Sees everything. */
  static national(): AccessScope {
    return new AccessScope(null);
  }

  /** The scope of `caller`: one statement for council-bound callers, none for national ones. */
  static async of(em: EntityManager, caller: Caller): Promise<AccessScope> {
    if (caller.councilGssCodes === null) return AccessScope.national();
    const rows = await em.getConnection().execute<{ partnership_id: number }[]>(
      `select distinct m.partnership_id from membership m join council c on c.id = m.council_id
         where c.gss_code = any(array[?]::text[]) order by 1`,
      [[...caller.councilGssCodes]],
    );
    return new AccessScope(rows.map((r) => r.partnership_id));
  }

  /** True for a national caller. */
  get national(): boolean {
    return this.partnershipIds === null;
  }

  /** Whether figures of this partnership may be seen. */
  allows(partnershipId: number): boolean {
    return (
      this.partnershipIds === null ||
      this.partnershipIds.includes(partnershipId)
    );
  }

  /** Throws FORBIDDEN unless figures of this partnership may be seen. */
  assertPartnership(partnershipId: number): void {
    if (!this.allows(partnershipId)) throw new ForbiddenError();
  }

  /**
   * A SQL condition keeping only rows whose partnership id (`column`, e.g. `s.partnership_id`) is in
   * scope, with its parameters; null for national callers. The other conditions are built on it.
   */
  partnershipCondition(
    column: string,
  ): { sql: string; params: unknown[] } | null {
    if (this.partnershipIds === null) return null;
    return {
      sql: `${column} = any(array[?]::int[])`,
      params: [[...this.partnershipIds]],
    };
  }

  /**
   * A SQL condition keeping only savings figures (table alias `alias`) in scope, with its parameters;
   * null for national callers. Every savings query adds it.
   */
  savingsCondition(alias: string): { sql: string; params: unknown[] } | null {
    const partnership = this.partnershipCondition("s_scope.partnership_id");
    if (!partnership) return null;
    return {
      sql: `${alias}.service_id in (select s_scope.id from service s_scope where ${partnership.sql})`,
      params: partnership.params,
    };
  }

  /**
   * A SQL condition keeping only import runs (alias `alias`) whose every record belongs to a
   * partnership in scope; runs that wrote nothing (refused, dry runs) are national-only, since
   * their problems may quote any council's cells. Null for national callers.
   */
  importRunCondition(alias: string): { sql: string; params: unknown[] } | null {
    if (this.partnershipIds === null) return null;
    const touched = `(
      select p.id as pid from partnership p where p.import_run_id = ${alias}.id
      union all select m.partnership_id from membership m where m.import_run_id = ${alias}.id
      union all select s.partnership_id from service s where s.import_run_id = ${alias}.id
      union all select g.partnership_id from governance_body g where g.import_run_id = ${alias}.id
      union all select g.partnership_id from governance_seat gs join governance_body g on g.id = gs.body_id where gs.import_run_id = ${alias}.id
      union all select fa.partnership_id from funding_award fa where fa.import_run_id = ${alias}.id
      union all select s.partnership_id from savings_figure f join service s on s.id = f.service_id where f.import_run_id = ${alias}.id
    )`;
    return {
      sql: `exists (select 1 from ${touched} t) and not exists (select 1 from ${touched} t where t.pid <> all(array[?]::int[]))`,
      params: [[...this.partnershipIds]],
    };
  }

  /** Whether import run `runId` may be seen (one statement for council-bound callers). */
  async allowsImportRun(em: EntityManager, runId: number): Promise<boolean> {
    const condition = this.importRunCondition("r");
    if (!condition) return true;
    const rows = await em
      .getConnection()
      .execute<{ ok: boolean }[]>(
        `select (${condition.sql}) as ok from import_run r where r.id = ?`,
        [...condition.params, runId],
      );
    return rows[0]?.ok === true;
  }
}

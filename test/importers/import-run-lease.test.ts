import { describe, expect, it } from "vitest";
import {
  ImportRunLease,
  markInterruptedRuns,
} from "../../importers/import-run-lease.js";
import {
  importWorkbook,
  type ImportOptions,
} from "../../importers/import-workbook.js";
import { importAuditDetails } from "../../server/auth/import-audit-details.js";
import { recordAudit } from "../../server/auth/record-audit.js";
import { operatorCaller } from "../../server/caller.js";
import { AuditAction, AuditEvent } from "../../schema/audit-event.js";
import { ImportRun, ImportStatus } from "../../schema/import-run.js";
import { useTestDatabase } from "../support/test-database.js";
import { figures, longTracker } from "./support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

const db = useTestDatabase();
const dir = workbookDir();

const start = {
  fileName: "lease.xlsx",
  sha256: "",
  kind: "",
  reportingPeriod: null,
  runBy: "test",
};

async function statusOf(id: number) {
  return (await db.orm.em.fork().findOneOrFail(ImportRun, id)).status;
}

const audit: ImportOptions["audit"] = (em, report) =>
  void recordAudit(
    em,
    operatorCaller(),
    AuditAction.IMPORT,
    importAuditDetails(report, "cli"),
  );

async function auditsOf(id: number): Promise<number> {
  const events = await db.orm.em
    .fork()
    .find(AuditEvent, { action: AuditAction.IMPORT });
  return events.filter(
    (e) => (e.details as { importRunId?: number }).importRunId === id,
  ).length;
}

describe("a RUNNING import run's lease", () => {
  it("keeps a live run RUNNING, and marks it INTERRUPTED once its session is gone", async () => {
    const lease = await ImportRunLease.take(db.orm, start);
    expect(await markInterruptedRuns(db.orm.em.fork())).toEqual([]);
    expect(await statusOf(lease.run.id)).toBe(ImportStatus.RUNNING);
    await lease.release();
    expect(await markInterruptedRuns(db.orm.em.fork())).toEqual([lease.run.id]);
    const run = await db.orm.em.fork().findOneOrFail(ImportRun, lease.run.id);
    expect(run.status).toBe(ImportStatus.INTERRUPTED);
    expect(run.reason).toMatch(/stopped before the import finished/);
    expect(await markInterruptedRuns(db.orm.em.fork())).toEqual([]);
  });

  it("marks a RUNNING run that never had a lease (left by an older hub) INTERRUPTED", async () => {
    const em = db.orm.em.fork();
    const run = em.create(ImportRun, start as never) as ImportRun;
    await em.flush();
    expect(await markInterruptedRuns(db.orm.em.fork())).toEqual([run.id]);
  });
});

describe("an import's run and audit event", () => {
  it("are written with the figures, and for refused and dry runs too", async () => {
    const good = await writeTestWorkbook(
      dir,
      longTracker("lease-good.xlsx", "June 2008", figures(5)),
    );
    const bad = await writeTestWorkbook(
      dir,
      longTracker("lease-bad.xlsx", "June 2008", [
        [null, "Workstream 1", "2007/08", "Achieved", "lots"],
      ]),
    );
    for (const [path, dryRun, status] of [
      [good, true, ImportStatus.DRY_RUN],
      [bad, false, ImportStatus.REFUSED],
      [good, false, ImportStatus.IMPORTED],
    ] as const) {
      const report = await importWorkbook(db.orm, path, { dryRun, audit });
      expect(report.status).toBe(status);
      const run = await db.orm.em
        .fork()
        .findOneOrFail(ImportRun, report.importRunId);
      expect(run.status).toBe(status);
      expect(run.finishedAt).toBeInstanceOf(Date);
      expect(run.reason).toBeNull();
      expect(await auditsOf(run.id)).toBe(1);
    }
  });
});

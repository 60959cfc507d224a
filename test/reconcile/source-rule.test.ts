import ExcelJS from "exceljs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { importWorkbook } from "../../importers/import-workbook.js";
import { findPartnership } from "../../reconcile/find-partnership.js";
import { loadReconciliations } from "../../reconcile/load-reconciliations.js";
import { reconciliationToJson } from "../../reconcile/reconciliation-json.js";
import { Role } from "../../schema/role.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { toGlobalId } from "../../schema/global-id.js";
import { callerWith, nationalFinance } from "../support/callers.js";
import { createTestGraphql } from "../support/graphql.js";
import { startTestHttp, type TestHttp } from "../support/http.js";
import {
  type TestDatabase,
  useTestDatabase,
} from "../support/test-database.js";
import { longTracker } from "../importers/support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "../importers/support/write-test-workbook.js";
import { runSshubInBackground } from "../support/sshub-process.js";
import { openWorkbook } from "./open-workbook.js";
import {
  BOLSOVER,
  CHESTERFIELD,
  NE_DERBYSHIRE,
  seedSavings,
} from "./savings-seed.js";

// Issue 11's example, imported from real workbooks in both orders: the host's (Chesterfield's)
// tracker breaks Internal Audit's £30,000 down as £10,000 each; Bolsover's own claim is £12,000 for
// the same month; North East Derbyshire claims nothing. Whatever the order, Bolsover is over-claimed
// by £2,000, North East Derbyshire's claim is missing, and Chesterfield's own line matches.

const PARTNERSHIP = "Derbyshire RCE Shared Services";
const services = fileURLToPath(
  new URL(
    "../../fixtures/samples/02-derbyshire-rce-workstreams.xlsx",
    import.meta.url,
  ),
);
const query = {
  financialYear: 2007,
  measure: SavingsMeasure.ACHIEVED,
  asOf: null,
  tolerancePence: 0n,
};

const hostFirst = useTestDatabase();
const claimFirst = useTestDatabase();
let host: string;
let claim: string;

beforeAll(async () => {
  const dir = workbookDir();
  [host, claim] = await Promise.all([
    writeTestWorkbook(
      dir,
      longTracker(
        "host-tracker.xlsx",
        "June 2008",
        [
          [null, "Internal Audit", "2007/08", "Achieved", 30000],
          [
            "Chesterfield Borough Council",
            "Internal Audit",
            "2007/08",
            "Achieved",
            10000,
          ],
          [
            "Bolsover District Council",
            "Internal Audit",
            "2007/08",
            "Achieved",
            10000,
          ],
          [
            "North East Derbyshire District Council",
            "Internal Audit",
            "2007/08",
            "Achieved",
            10000,
          ],
        ],
        [["Submitted by:", "Chesterfield Borough Council"]],
      ),
    ),
    writeTestWorkbook(
      dir,
      longTracker("bolsover-claim.xlsx", "June 2008", [
        [
          "Bolsover District Council",
          "Internal Audit",
          "2007/08",
          "Achieved",
          12000,
        ],
      ]),
    ),
  ]);
  for (const [db, files] of [
    [hostFirst, [services, host, claim]],
    [claimFirst, [services, claim, host]],
  ] as const)
    for (const file of files) {
      const report = await importWorkbook(db.orm, file);
      expect(report.status, JSON.stringify(report.problems)).toBe("IMPORTED");
    }
});

async function reconciliationOf(db: TestDatabase) {
  const em = db.orm.em.fork();
  const partnership = await findPartnership(em, PARTNERSHIP);
  const [result] = await loadReconciliations(em, [partnership], query);
  return result!;
}

/** Drops what depends on the import order and not on the data: database ids of figures and runs. */
function withoutIds(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) =>
      key === "id" || key === "importRun" || key === "importRuns"
        ? undefined
        : v,
    ),
  );
}

type Line = [string, string | null, string | null, string | null, string];

function internalAudit(
  r: ReturnType<typeof reconciliationToJson>,
): Record<string, Line> {
  return Object.fromEntries(
    r.lines
      .filter((l) => l.service === "Internal Audit" && l.cashable)
      .map((l) => [
        l.council.gssCode,
        [l.shareBasis ?? "", l.expected, l.claimed, l.variance, l.status],
      ]),
  );
}

describe("the source rule on imported trackers", () => {
  it("reconciles the same in both import orders: Bolsover over-claimed, North East Derbyshire missing", async () => {
    const [a, b] = (
      await Promise.all([
        reconciliationOf(hostFirst),
        reconciliationOf(claimFirst),
      ])
    ).map(reconciliationToJson);
    for (const r of [a!, b!])
      expect(internalAudit(r)).toEqual({
        // The host's own row is its own claim, so its share is worked out from the total.
        [CHESTERFIELD]: ["EQUAL", "10000.00", "10000.00", "0.00", "MATCHED"],
        [BOLSOVER]: [
          "REPORTED",
          "10000.00",
          "12000.00",
          "2000.00",
          "OVER_CLAIMED",
        ],
        [NE_DERBYSHIRE]: ["REPORTED", "10000.00", null, null, "MISSING_CLAIM"],
      });
    expect(withoutIds(a)).toEqual(withoutIds(b));
    // The host's breakdown is not a claim: only Chesterfield's and Bolsover's own figures add up.
    expect(
      a!.services.find((s) => s.service === "Internal Audit" && s.cashable),
    ).toMatchObject({ total: "30000.00", claimed: "22000.00" });
  });

  it("lists the same savings in both orders, a claim and the host's breakdown of it side by side", async () => {
    const list = async (db: TestDatabase, source?: string) => {
      const gql = await createTestGraphql(db.orm, { caller: nationalFinance });
      const em = db.orm.em.fork();
      const p = await findPartnership(em, PARTNERSHIP);
      const result = await gql.run<{
        savings: {
          totalCount: number;
          edges: {
            node: {
              council: { gssCode: string } | null;
              reportedBy: { gssCode: string } | null;
              source: string;
              amount: { amount: string };
              movement: { amount: string } | null;
            };
          }[];
        };
      }>(
        `query ($p: ID!, $source: SavingsSourceFilter) {
          savings(partnership: $p, financialYear: "2007/08", measure: ACHIEVED, cashable: true, source: $source) {
            totalCount edges { node { council { gssCode } reportedBy { gssCode } source amount { amount } movement { amount } } }
          } }`,
        { p: toGlobalId("Partnership", p.id), ...(source ? { source } : {}) },
      );
      expect(result.errors).toBeUndefined();
      return result.data!.savings;
    };
    const rows = (s: Awaited<ReturnType<typeof list>>) =>
      s.edges
        .map(({ node }) =>
          [
            node.council?.gssCode ?? "total",
            node.reportedBy?.gssCode ?? "partnership",
            node.source,
            node.amount.amount,
          ].join(" "),
        )
        .sort();
    const [a, b] = await Promise.all([list(hostFirst), list(claimFirst)]);
    expect(a).toEqual(b);
    // Internal Audit only: the services workbook reports no achieved figures.
    expect(rows(a)).toEqual([
      `${BOLSOVER} ${BOLSOVER} OWN 12000.00`,
      `${BOLSOVER} ${CHESTERFIELD} HOST 10000.00`,
      `${CHESTERFIELD} ${CHESTERFIELD} OWN 10000.00`,
      `${NE_DERBYSHIRE} ${CHESTERFIELD} HOST 10000.00`,
      `total ${CHESTERFIELD} HOST 30000.00`,
    ]);
    expect(a.totalCount).toBe(5);
    const own = await list(claimFirst, "OWN");
    expect(rows(own)).toEqual([
      `${BOLSOVER} ${BOLSOVER} OWN 12000.00`,
      `${CHESTERFIELD} ${CHESTERFIELD} OWN 10000.00`,
    ]);
    expect(own.totalCount).toBe(2);
    expect(rows(await list(hostFirst, "HOST"))).toHaveLength(3);
    expect(rows(await list(hostFirst, "PARTNERSHIP"))).toEqual([]);
    // A first report per source: no movement from another source's figure.
    expect(a.edges.every(({ node }) => node.movement === null)).toBe(true);
  });

  it("sums each figure once in the savings summary, a council's own claim before the host's view", async () => {
    const summary = async (db: TestDatabase) => {
      const gql = await createTestGraphql(db.orm, { caller: nationalFinance });
      const result = await gql.run<{
        savingsSummary: {
          measures: {
            measure: string;
            cashable: { amount: string };
            byCouncil: {
              council: { gssCode: string };
              cashable: { amount: string };
            }[];
          }[];
        }[];
      }>(
        `{ savingsSummary(financialYear: "2007/08") { measures { measure cashable { amount }
            byCouncil { council { gssCode } cashable { amount } } } } }`,
      );
      expect(result.errors).toBeUndefined();
      const achieved = result.data!.savingsSummary[0]!.measures.find(
        (m) => m.measure === "ACHIEVED",
      )!;
      return [
        achieved.cashable.amount,
        ...achieved.byCouncil.map(
          (c) => `${c.council.gssCode} ${c.cashable.amount}`,
        ),
      ].sort();
    };
    const [a, b] = await Promise.all([summary(hostFirst), summary(claimFirst)]);
    expect(a).toEqual(b);
    expect(a).toEqual([
      "30000.00",
      `${BOLSOVER} 12000.00`,
      `${CHESTERFIELD} 10000.00`,
      `${NE_DERBYSHIRE} 10000.00`,
    ]);
  });

  it("counts a council's own claim, not the partnership's view of its share, in the summary's council line", async () => {
    await seedSavings(hostFirst.orm.em, {
      name: "Seeded partnership",
      members: [{ gss: BOLSOVER }, { gss: NE_DERBYSHIRE }],
      figures: [
        { service: "Payroll", gss: BOLSOVER, amount: "12.00" },
        {
          service: "Payroll",
          gss: BOLSOVER,
          amount: "10.00",
          reportedBy: null,
        },
        {
          service: "Payroll",
          gss: NE_DERBYSHIRE,
          amount: "7.00",
          reportedBy: null,
        },
      ],
    });
    const gql = await createTestGraphql(hostFirst.orm, {
      caller: nationalFinance,
    });
    const result = await gql.run<{
      savingsSummary: {
        measures: {
          total: { amount: string };
          byCouncil: {
            council: { gssCode: string };
            total: { amount: string };
          }[];
        }[];
      }[];
    }>(
      `{ savingsSummary(financialYear: "2009/10") { measures { total { amount }
          byCouncil { council { gssCode } total { amount } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const [measure] = result.data!.savingsSummary[0]!.measures;
    expect(measure!.total.amount).toBe("19.00");
    expect(
      measure!.byCouncil.map((c) => `${c.council.gssCode} ${c.total.amount}`),
    ).toEqual([`${BOLSOVER} 12.00`, `${NE_DERBYSHIRE} 7.00`]);
  });

  it("keeps the savings of another partnership's councils out of a council-bound caller's lists", async () => {
    const gql = await createTestGraphql(hostFirst.orm);
    const result = await gql.run<{ savings: { totalCount: number } }>(
      `{ savings(source: HOST) { totalCount } }`,
      undefined,
      callerWith(Role.VIEWER, ["E06000049"]),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.savings.totalCount).toBe(0);
  });

  it("exports the same workbook over HTTP and from sshub reconcile --xlsx, in both orders", async () => {
    let servers: TestHttp[] = [];
    try {
      servers = await Promise.all(
        [hostFirst, claimFirst].map((db) =>
          startTestHttp(db.orm, { callerFor: async () => nationalFinance }),
        ),
      );
      const overHttp = await Promise.all(
        servers.map(async ({ base }) => {
          const response = await fetch(
            `${base}/exports/reconciliation.xlsx?partnership=${encodeURIComponent(PARTNERSHIP)}&year=2007/08`,
          );
          expect(response.status).toBe(200);
          return workbookText(await openWorkbook(await response.arrayBuffer()));
        }),
      );
      const fromCli = await Promise.all(
        [hostFirst, claimFirst].map(async (db, i) => {
          const file = join(workbookDir(), `cli-${i}.xlsx`);
          const run = await runSshubInBackground(
            [
              "reconcile",
              "--partnership",
              PARTNERSHIP,
              "--year",
              "2007/08",
              "--xlsx",
              file,
            ],
            db.url,
            {},
            60_000,
          );
          expect(run.status, run.stderr).toBe(0);
          return workbookText(await openWorkbook(await readFile(file)));
        }),
      );
      expect(overHttp[1]).toEqual(overHttp[0]);
      expect(fromCli[0]).toEqual(overHttp[0]);
      expect(fromCli[1]).toEqual(overHttp[0]);
      expect(overHttp[0]!.join("\n")).toMatch(
        /Internal Audit \| Cashable \| Bolsover \| E07000033 \| .*\| REPORTED \| .*\| 10000 \| 12000 \| 2000 \| OVER_CLAIMED/,
      );
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});

/**
 * Every cell's text, sheet by sheet, with what differs by import order only masked: run and figure
 * ids, the generation time, and the order of the runs in the "Built from" note.
 */
function workbookText(workbook: ExcelJS.Workbook): string[] {
  const out: string[] = [];
  workbook.eachSheet((sheet) => {
    sheet.eachRow((row) => {
      const values = (row.values as ExcelJS.CellValue[])
        .slice(1)
        .map((v) => (v === null || v === undefined ? "" : String(v)));
      let line = values.join(" | ");
      const runs = "Built from import runs: ";
      if (line.startsWith(runs))
        line = `${runs}${line
          .slice(runs.length)
          .replace(/#\d+ /g, "#")
          .replace(/\.$/, "")
          .split("; ")
          .sort()
          .join("; ")}.`;
      out.push(
        `${sheet.name}: ${line.replace(/import run \d+/g, "import run N").replace(/^Generated \S+/, "Generated")}`,
      );
    });
  });
  return out;
}

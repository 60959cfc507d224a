import { startTestHttp } from "../support/http.js";
import { nationalFinance } from "../support/callers.js";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { importSampleData } from "../../importers/import-sample-data.js";
import {
  HEADER_ROW,
  LINE_HEADERS,
} from "../../reconcile/reconciliation-workbook.js";
import { createTestGraphql, type TestGraphql } from "../support/graphql.js";
import { useTestDatabase } from "../support/test-database.js";
import { openWorkbook } from "../reconcile/open-workbook.js";
import { runSshub } from "../support/sshub-process.js";

// The sample trackers (fixtures/samples/1x-derbyshire-*) plant, for Derbyshire RCE Shared Services in
// 2007/08 (achieved, cashable, equal shares of the host's totals): Bolsover claiming £150,000 of
// Procurement's £357,000 (its share is £119,000), North East Derbyshire claiming nothing for
// Procurement, and Internal Audit's £30,000 claimed as £10,000 by each of the three.
const PARTNERSHIP = "Derbyshire RCE Shared Services";
const PLANTED = [
  ["Procurement", "E07000033", "119000.00", "150000.00", "OVER_CLAIMED"],
  ["Procurement", "E07000038", "119000.00", null, "MISSING_CLAIM"],
  ["Internal Audit", "E07000034", "10000.00", "10000.00", "MATCHED"],
] as const;

const db = useTestDatabase();
let gql: TestGraphql;
let base: string;

beforeAll(async () => {
  await importSampleData(db.orm, () => undefined);
  gql = await createTestGraphql(db.orm, { caller: nationalFinance });
  const http = await startTestHttp(db.orm, {
    callerFor: async () => nationalFinance,
  });
  base = http.base;
  return http.close;
});

type Row = readonly [string, string, string, string | null, string];

function planted(rows: Row[]) {
  return PLANTED.map(([service, gss]) =>
    rows.find((row) => row[0] === service && row[1] === gss),
  );
}

describe("the sample trackers' planted over-claim, missing claim and matched line", () => {
  it("show in the GraphQL answer, linked to their source cells", async () => {
    const result = await gql.run<{
      reconciliation: {
        lines: {
          service: { name: string };
          council: { gssCode: string };
          cashable: boolean;
          expected: { amount: string } | null;
          claimed: { amount: string } | null;
          status: string;
          claimFigure: {
            sourceSheet: string | null;
            sourceCell: string | null;
          } | null;
        }[];
      };
    }>(
      `query ($p: ID!) { reconciliation(partnership: $p, financialYear: "2007/08") { lines {
        service { name } council { gssCode } cashable expected { amount } claimed { amount } status
        claimFigure { sourceSheet sourceCell }
      } } }`,
      { p: PARTNERSHIP },
    );
    expect(result.errors).toBeUndefined();
    const lines = result.data!.reconciliation.lines.filter((l) => l.cashable);
    expect(
      planted(
        lines.map((l) => [
          l.service.name,
          l.council.gssCode,
          l.expected?.amount ?? "",
          l.claimed?.amount ?? null,
          l.status,
        ]),
      ),
    ).toEqual(PLANTED);
    const over = lines.find((l) => l.status === "OVER_CLAIMED")!;
    expect(over.claimFigure?.sourceSheet).toBe("Claims");
    expect(over.claimFigure?.sourceCell).toMatch(/^[A-Z]+\d+$/);
  });

  it("show in the exported workbook", async () => {
    const response = await fetch(
      `${base}/exports/reconciliation.xlsx?partnership=${encodeURIComponent(PARTNERSHIP)}&year=2007/08`,
    );
    expect(response.status).toBe(200);
    const workbook = await openWorkbook(await response.arrayBuffer());
    const sheet = workbook.getWorksheet(PARTNERSHIP)!;
    const col = (title: (typeof LINE_HEADERS)[number]) =>
      LINE_HEADERS.indexOf(title) + 1;
    const money = (value: ExcelJS.CellValue) =>
      typeof value === "number" ? value.toFixed(2) : null;
    const rows: Row[] = [];
    for (let r = HEADER_ROW + 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      if (
        row.getCell(col("Kind")).value !== "Cashable" ||
        !row.getCell(col("Status")).value
      )
        continue;
      rows.push([
        String(row.getCell(col("Service")).value),
        String(row.getCell(col("GSS code")).value),
        money(row.getCell(col("Expected share")).value) ?? "",
        money(row.getCell(col("Claimed")).value),
        String(row.getCell(col("Status")).value),
      ]);
    }
    expect(planted(rows)).toEqual(PLANTED);
  });

  it("show in the CLI's table and JSON", () => {
    const run = (args: string[]) =>
      runSshub(
        [
          "reconcile",
          "--partnership",
          PARTNERSHIP,
          "--year",
          "2007/08",
          ...args,
        ],
        db.url,
      );
    const json = run(["--json"]);
    expect(json.status, json.stderr).toBe(0);
    const [r] = JSON.parse(json.stdout) as {
      lines: {
        service: string;
        council: { gssCode: string };
        cashable: boolean;
        expected: string | null;
        claimed: string | null;
        status: string;
      }[];
    }[];
    expect(
      planted(
        r!.lines
          .filter((l) => l.cashable)
          .map((l) => [
            l.service,
            l.council.gssCode,
            l.expected ?? "",
            l.claimed,
            l.status,
          ]),
      ),
    ).toEqual(PLANTED);
    const table = run([]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(
      /Procurement\s+cashable\s+Bolsover\s+E07000033\s+33\.3333 \(equal\)\s+357,000\.00\s+119,000\.00\s+150,000\.00\s+31,000\.00\s+OVER_CLAIMED/,
    );
    expect(table.stdout).toMatch(
      /Procurement\s+cashable\s+North East Derbyshire\s+E07000038\s+.*MISSING_CLAIM/,
    );
    expect(table.stdout).toMatch(
      /Internal Audit\s+cashable\s+Chesterfield\s+E07000034\s+.*10,000\.00\s+0\.00\s+MATCHED/,
    );
  });
});

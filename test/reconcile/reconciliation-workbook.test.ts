import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { formulaSafeText } from "../../reconcile/formula-safe-text.js";
import { loadReconciliations } from "../../reconcile/load-reconciliations.js";
import type { PartnershipReconciliation } from "../../reconcile/reconciliation.js";
import {
  HEADER_ROW,
  LINE_HEADERS,
  reconciliationFileName,
  reconciliationWorkbookBytes,
} from "../../reconcile/reconciliation-workbook.js";
import { CURRENCY_FORMAT } from "../../reconcile/money-cell.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { useTestDatabase } from "../support/test-database.js";
import {
  BOLSOVER,
  CHESTERFIELD,
  NE_DERBYSHIRE,
  seedSavings,
} from "./savings-seed.js";
import { openWorkbook } from "./open-workbook.js";

const HOSTILE = [
  '=HYPERLINK("http://evil.example","Click")',
  "+1+1",
  "-2+3",
  "@SUM(A1:A2)",
  "\tcmd",
  "\rcmd",
  "\ncmd",
];

const db = useTestDatabase();
let reconciliations: PartnershipReconciliation[];
let workbook: ExcelJS.Workbook;

beforeAll(async () => {
  const hostile = await seedSavings(db.orm.em, {
    name: "=cmd|' /C calc'!A0",
    fileName: "=evil.xlsx",
    members: [{ gss: CHESTERFIELD }, { gss: BOLSOVER }],
    figures: HOSTILE.flatMap((service, i) => [
      { service, amount: "10.00", sheet: "@Totals", cell: `B${i + 2}` },
      {
        service,
        gss: CHESTERFIELD,
        amount: "6.00",
        sheet: "-CBC",
        cell: `C${i + 2}`,
      },
    ]),
  });
  const plain = await seedSavings(db.orm.em, {
    name: "Plain Partnership",
    members: [{ gss: CHESTERFIELD }, { gss: BOLSOVER }, { gss: NE_DERBYSHIRE }],
    figures: [
      { service: "Revenues", amount: "100.00" },
      { service: "Revenues", gss: BOLSOVER, amount: "33.34" },
      { service: "Revenues", gss: CHESTERFIELD, amount: "40.00" },
      { service: "Revenues", gss: NE_DERBYSHIRE, amount: "33.33" },
    ],
  });
  reconciliations = await loadReconciliations(
    db.orm.em.fork(),
    [hostile.partnership, plain.partnership],
    {
      financialYear: 2009,
      measure: SavingsMeasure.ACHIEVED,
      asOf: null,
      tolerancePence: 0n,
    },
  );
  workbook = await openWorkbook(
    await reconciliationWorkbookBytes(reconciliations),
  );
});

function strings(sheet: ExcelJS.Worksheet): string[] {
  const found: string[] = [];
  sheet.eachRow((row) =>
    row.eachCell((cell) => {
      if (typeof cell.value === "string") found.push(cell.value);
    }),
  );
  return found;
}

describe("formulaSafeText (OWASP CSV-injection mitigation)", () => {
  it("prefixes a single quote to text starting with =, +, -, @, tab, CR or LF, and leaves other text alone", () => {
    for (const text of HOSTILE) expect(formulaSafeText(text)).toBe(`'${text}`);
    for (const text of ["Revenues", "", " =not first", "2009/10", "'quoted"])
      expect(formulaSafeText(text)).toBe(text);
  });
});

describe("the reconciliation workbook", () => {
  it("writes text from imported cells so Excel cannot run it as a formula", () => {
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type, `${sheet.name}!${cell.address}`).not.toBe(
            ExcelJS.ValueType.Formula,
          );
        }),
      );
      for (const value of strings(sheet))
        expect(value, `${sheet.name}: ${JSON.stringify(value)}`).not.toMatch(
          /^[=+\-@\t\r\n]/,
        );
    }
    const sheet = workbook.worksheets[1]!;
    const services = new Set(
      Array.from(
        { length: sheet.rowCount - HEADER_ROW },
        (_, i) => sheet.getRow(HEADER_ROW + 1 + i).getCell(1).value,
      ),
    );
    // XML reads a carriage return back as a line feed; the leading quote is what matters.
    for (const text of HOSTILE)
      expect(
        services.has(`'${text.replace("\r", "\n")}`),
        JSON.stringify(text),
      ).toBe(true);
    expect(sheet.getCell("A1").value).toBe(
      "'=cmd|' /C calc'!A0: savings reconciliation",
    );
    const sources = strings(sheet).filter((s) => s.includes("Totals!"));
    expect(sources[0]).toMatch(/^'@Totals!B\d+ in =evil\.xlsx/);
  });

  it("has a summary and one sheet per partnership, with frozen headers, filters and currency formats", () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      "Summary",
      "=cmd|' C calc'!A0",
      "Plain Partnership",
    ]);
    for (const sheet of workbook.worksheets) {
      expect(sheet.views[0]).toMatchObject({
        state: "frozen",
        ySplit: HEADER_ROW,
      });
      expect(sheet.autoFilter).toBeTruthy();
      expect(sheet.getRow(HEADER_ROW).getCell(1).value).toBe(
        sheet.name === "Summary" ? "Partnership" : "Service",
      );
    }
    const plain = workbook.getWorksheet("Plain Partnership")!;
    expect(plain.getRow(HEADER_ROW).values).toEqual([
      undefined,
      ...LINE_HEADERS,
    ]);
    const col = (title: (typeof LINE_HEADERS)[number]) =>
      LINE_HEADERS.indexOf(title) + 1;
    const chesterfield = plain.getRow(HEADER_ROW + 2);
    expect(chesterfield.getCell(col("GSS code")).value).toBe(CHESTERFIELD);
    expect(chesterfield.getCell(col("Claimed")).value).toBe(40);
    expect(chesterfield.getCell(col("Variance")).numFmt).toBe(CURRENCY_FORMAT);
    expect(chesterfield.getCell(col("Status")).value).toBe("OVER_CLAIMED");
    expect(chesterfield.getCell(col("Variance")).fill).toMatchObject({
      fgColor: { argb: "FFFFC7CE" },
    });
    const bolsover = plain.getRow(HEADER_ROW + 1);
    expect(bolsover.getCell(col("Expected share")).value).toBe(33.34);
    expect(bolsover.getCell(col("Status")).value).toBe("MATCHED");
  });

  it("notes the period, the tolerance and the import runs it was built from, and flags double counting", () => {
    const summary = workbook.getWorksheet("Summary")!;
    expect(summary.getCell("A2").value).toBe(
      "2009/10, achieved, latest figures (to 2010-03); tolerance £0.00.",
    );
    expect(summary.getCell("A3").value).toMatch(
      /^Built from import runs: #\d+ =evil\.xlsx \(2010-03\); #\d+ Plain Partnership tracker\.xlsx/,
    );
    const flags = strings(summary).filter((s) => s === "DOUBLE_COUNTING");
    expect(flags.length).toBe(2); // Plain Partnership's Revenues, and its cashable total.
    expect(reconciliationFileName(reconciliations.slice(1))).toBe(
      "reconciliation-plain-partnership-2009-10.xlsx",
    );
  });
});

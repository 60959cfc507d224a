import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importWorkbook } from "../../importers/import-workbook.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import {
  createTestDatabase,
  type TestDatabase,
} from "../support/test-database.js";
import {
  rawTracker,
  writeRawXlsx,
  type RawCell,
} from "./support/write-raw-xlsx.js";
import { workbookDir } from "./support/write-test-workbook.js";

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = workbookDir();
});
afterAll(() => db.drop());

let files = 0;
/** Imports a one-sheet tracker whose amounts (E6, E7, ...) are `amounts`. */
async function importAmounts(amounts: RawCell[], services?: string[]) {
  const path = await writeRawXlsx(join(dir, `hostile-${++files}.xlsx`), [
    { name: "Tracker", rows: rawTracker(amounts, services) },
  ]);
  return importWorkbook(db.orm, path);
}

async function storedAmounts(): Promise<Record<string, string>> {
  const figures = await db.orm.em.fork().find(SavingsFigure, {});
  return Object.fromEntries(figures.map((f) => [f.sourceCell, f.amount]));
}

describe("absurd amounts are refused, never stored as small wrong figures", () => {
  it.each<[string, RawCell]>([
    [
      "£184,467,440,737,107,861.83 (wraps to £12,345.67)",
      "£184,467,440,737,107,861.83",
    ],
    ["1e308 (wraps to £0.00)", { v: "1e308" }],
    ["£ and 100,000 nines (wraps to -£1.00)", "£" + "9".repeat(100_000)],
    ['"0x1F" as a number (parseFloat: 0)', { v: "0x1F" }],
    ['"1_000" as a number (parseFloat: 1)', { v: "1_000" }],
    [
      '"30", a byte that is not UTF-8, "000" (parseFloat: 30)',
      { v: Buffer.from([0x33, 0x30, 0xff, 0x30, 0x30, 0x30]) },
    ],
    ["1e13 (numeric field overflow)", { v: "1e13" }],
    ["9007199254740993", { v: "9007199254740993" }],
    ["£10,000,000,000.01", "£10,000,000,000.01"],
    ["Infinity as text in a number", { v: "Infinity" }],
    ["NaN as text in a number", { v: "NaN" }],
  ])("refuses %s as a bad amount naming E6", async (_, cell) => {
    const report = await importAmounts([cell, { v: "1000" }]);
    expect(report.status).toBe("REFUSED");
    expect(report.problems).toEqual([
      expect.objectContaining({
        code: "bad-amount",
        sheet: "Tracker",
        cell: "E6",
        severity: "error",
      }),
    ]);
    expect(report.problems[0]!.message).toMatch(/E6/);
    expect(await storedAmounts()).toEqual({});
  });

  it("stores amounts up to £10bn exactly", async () => {
    const report = await importAmounts(
      ["£10,000,000,000", { v: "9999999999.99" }, { v: "1E3" }, "(£25.50)"],
      ["Top", "Almost", "Exponent", "Negative"],
    );
    expect(report.status).toBe("IMPORTED");
    expect(await storedAmounts()).toEqual({
      E6: "10000000000.00",
      E7: "9999999999.99",
      E8: "1000.00",
      E9: "-25.50",
    });
  });
});

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importWorkbook } from "../../importers/import-workbook.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { Service } from "../../schema/service.js";
import { useTestDatabase } from "../support/test-database.js";
import {
  rawTracker,
  writeRawXlsx,
  type RawCell,
} from "./support/write-raw-xlsx.js";
import { workbookDir } from "./support/write-test-workbook.js";

const db = useTestDatabase();
const dir = workbookDir();

let files = 0;
/** Imports a one-sheet tracker whose amounts (E6, E7, ...) are `amounts`. */
async function importAmounts(amounts: RawCell[], services?: string[]) {
  const path = await writeRawXlsx(join(dir, `hostile-${++files}.xlsx`), [
    { name: "Tracker", rows: rawTracker(amounts, services) },
  ]);
  return importWorkbook(db.orm, path);
}

/** The figures an import run stored, by cell. */
async function storedAmounts(report: {
  importRunId: number;
}): Promise<Record<string, string>> {
  const figures = await db.orm.em
    .fork()
    .find(SavingsFigure, { importRun: report.importRunId });
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
    expect(await storedAmounts(report)).toEqual({});
  });

  it("stores amounts up to £10bn exactly", async () => {
    const report = await importAmounts(
      ["£10,000,000,000", { v: "9999999999.99" }, { v: "1E3" }, "(£25.50)"],
      ["Top", "Almost", "Exponent", "Negative"],
    );
    expect(report.status).toBe("IMPORTED");
    expect(await storedAmounts(report)).toEqual({
      E6: "10000000000.00",
      E7: "9999999999.99",
      E8: "1000.00",
      E9: "-25.50",
    });
  });
});

/** A service list (Derbyshire) with go-live cells `goLive` in C3, C4, ... */
function serviceList(names: RawCell[], goLive: RawCell[] = []): RawCell[][] {
  return [
    ["Partnership:", "Derbyshire RCE Shared Services"],
    ["Service", "Host authority", "Go live"],
    ...names.map((name, i) => [name, "Chesterfield", goLive[i] ?? null]),
  ];
}

async function importSheet(rows: RawCell[][], options = {}) {
  const path = await writeRawXlsx(
    join(dir, `hostile-${++files}.xlsx`),
    [{ name: "Sheet", rows }],
    options,
  );
  return importWorkbook(db.orm, path);
}

async function storedServices(): Promise<
  { name: string; goLiveDate?: string | null }[]
> {
  const services = await db.orm.em
    .fork()
    .find(Service, {}, { orderBy: { id: "asc" } });
  return services.map((s) => ({ name: s.name, goLiveDate: s.goLiveDate }));
}

describe("bad cells are problems with their own code, checked before the database sees them", () => {
  it("refuses a 1,000,000-character service name (an index row too big for PostgreSQL)", async () => {
    const before = await storedServices();
    const report = await importAmounts([{ v: "100" }], ["x".repeat(1_000_000)]);
    expect(report.status).toBe("REFUSED");
    expect(report.problems).toEqual([
      expect.objectContaining({ code: "text-too-long", cell: "B6" }),
    ]);
    expect(report.problems[0]!.message).toMatch(/1,000,000 characters/);
    expect(await storedServices()).toEqual(before);
  });

  it("refuses a 1,000,000-character partnership named above the table", async () => {
    const rows = rawTracker([{ v: "100" }]);
    rows[2] = ["Partnership:", "P".repeat(1_000_000)];
    const report = await importSheet(rows);
    expect(report.status).toBe("REFUSED");
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: "text-too-long", cell: "B3" }),
    );
    expect(await storedAmounts(report)).toEqual({});
  });

  it.each<[string, RawCell]>([
    ["serial 2958466 (the day after 9999-12-31)", { v: "2958466", s: 1 }],
    ["serial -1", { v: "-1", s: 1 }],
    ["a NaN serial", { v: "NaN", s: 1 }],
    ["an ISO date in year 10000", { v: "+010000-01-01", t: "d" }],
  ])("refuses a go-live date cell holding %s as bad-date", async (_, cell) => {
    const before = await storedServices();
    const report = await importSheet(serviceList(["Payroll"], [cell]));
    expect(report.status).toBe("REFUSED");
    expect(report.problems).toEqual([
      expect.objectContaining({ code: "bad-date", cell: "C3" }),
    ]);
    expect(await storedServices()).toEqual(before);
  });

  it.each([
    ["P", "empty-file"],
    ["\u0000", "unreadable-file"],
  ])(
    "refuses a one-byte file (%j) with a problem of its own, not a buffer error",
    async (byte, code) => {
      const path = join(dir, "one-byte.xlsx");
      writeFileSync(path, byte);
      const report = await importWorkbook(db.orm, path);
      expect(report.status).toBe("REFUSED");
      expect(report.problems).toContainEqual(
        expect.objectContaining({
          code,
          severity: "error",
          message: expect.stringContaining("one-byte.xlsx"),
        }),
      );
      for (const problem of report.problems)
        expect(problem.message).not.toMatch(/buffer|Error/);
    },
  );
});

describe("cells as Excel keeps them", () => {
  it("asks for a formula saved without its result to be opened and saved in Excel", async () => {
    const report = await importAmounts([{ f: "SUM(1,2)" }, { v: "100" }]);
    expect(report.status).toBe("REFUSED");
    expect(report.problems).toEqual([
      expect.objectContaining({ code: "formula-without-value", cell: "E6" }),
    ]);
    expect(report.problems[0]!.message).toMatch(
      /=SUM\(1,2\).*open the file in Excel.*save it/,
    );
    expect(await storedAmounts(report)).toEqual({});
  });

  it.each(["#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"])(
    "refuses a formula whose result is %s as a bad amount naming the cell",
    async (error) => {
      const report = await importAmounts([
        { v: "100" },
        { f: "A1/0", t: "e", v: error },
        { t: "e", v: error },
      ]);
      expect(report.status).toBe("REFUSED");
      expect(report.problems).toEqual([
        expect.objectContaining({ code: "bad-amount", cell: "E7" }),
        expect.objectContaining({ code: "bad-amount", cell: "E8" }),
      ]);
      expect(report.problems[0]!.message).toContain(error);
      expect(await storedAmounts(report)).toEqual({});
    },
  );

  it("uses a formula's cached result", async () => {
    const report = await importAmounts([
      { f: "B1*2", v: "1234.5" },
      { f: "1/3", v: "0.33333333333333331" },
    ]);
    expect(report.status).toBe("IMPORTED");
    expect(await storedAmounts(report)).toMatchObject({
      E6: "1234.50",
      E7: "0.33",
    });
  });

  it('reports "tbc", "tba" and "to follow" as a warning naming the cell, never silently', async () => {
    const report = await importAmounts(
      ["tbc", "TBA", "to follow", { v: "250" }],
      ["Later 1", "Later 2", "Later 3", "Known"],
    );
    expect(report.status).toBe("IMPORTED");
    expect(report.problems).toEqual(
      ["E6", "E7", "E8"].map((cell) =>
        expect.objectContaining({
          code: "figure-to-follow",
          severity: "warning",
          cell,
        }),
      ),
    );
    const stored = await storedAmounts(report);
    expect(stored["E9"]).toBe("250.00");
    expect(stored["E6"]).toBeUndefined();
  });

  it.each(["1", "true"] as const)(
    'honours the 1904 date system written date1904="%s"',
    async (written) => {
      // Serial 37000 is 2001-04-19 in the 1900 system and 2005-04-20 in the 1904 one.
      const name = `Legal 1904 ${written}`;
      const report = await importSheet(
        serviceList([name], [{ v: "37000", s: 1 }]),
        { date1904: written },
      );
      expect(report.status).toBe("IMPORTED");
      expect(await storedServices()).toContainEqual({
        name,
        goLiveDate: "2005-04-20",
      });
    },
  );

  it('refuses a formula error where a name belongs: no service called "#REF!"', async () => {
    const before = await storedServices();
    const report = await importSheet(
      serviceList([{ f: "Names!A1", t: "e", v: "#REF!" }, "Payroll 2"]),
    );
    expect(report.status).toBe("REFUSED");
    expect(report.problems).toEqual([
      expect.objectContaining({ code: "bad-value", cell: "A3" }),
    ]);
    expect(report.problems[0]!.message).toMatch(/formula error #REF!/);
    expect(await storedServices()).toEqual(before);
  });

  it('keeps "@SUM(1)" as the service name, not "@SUM" with a footnote mark', async () => {
    const report = await importSheet(serviceList(["@SUM(1)", "Audit (1)"]));
    expect(report.status).toBe("IMPORTED");
    const names = (await storedServices()).map((s) => s.name);
    expect(names).toContain("@SUM(1)");
    expect(names).toContain("Audit");
  });
});

import { describe, expect, it } from "vitest";
import { DEFAULT_IMPORT_LIMITS } from "../../importers/import-limits.js";
import { ProblemCollector } from "../../importers/import-problem.js";
import {
  readSheetTables,
  type SheetReadOptions,
  type SheetTable,
} from "../../importers/read-sheet-records.js";
import type {
  CellValue,
  SheetRow,
  WorkbookSheet,
} from "../../importers/read-workbook-sheets.js";
import type { SavingsRows } from "../../importers/savings-rows.js";
import { SheetTooLarge } from "../../importers/sheet-row-source.js";

/** A sheet of the given rows (row 1 first) that counts how many rows were taken from it. */
function sheetOf(
  lines: CellValue[][],
  skipBlank = false,
): WorkbookSheet & { taken: number } {
  const counter = { taken: 0 };
  async function* rows(): AsyncGenerator<SheetRow> {
    for (const [i, cells] of lines.entries()) {
      // The file readers give no row for a blank line: its number is skipped.
      if (skipBlank && cells.length === 0) continue;
      counter.taken++;
      yield { number: i + 1, cells };
    }
  }
  return {
    name: "Sheet1",
    hidden: false,
    rows: rows(),
    get taken() {
      return counter.taken;
    },
  };
}

async function read(
  lines: CellValue[][],
  options: Partial<SheetReadOptions> = {},
  skipBlank = false,
) {
  const problems = new ProblemCollector("test.xlsx");
  const sheet = sheetOf(lines, skipBlank);
  const tables = await readAll(
    sheet,
    { limits: DEFAULT_IMPORT_LIMITS, ...options },
    problems,
  );
  return {
    reading: tables[0]!.reading,
    tables,
    problems: problems.problems,
    taken: sheet.taken,
  };
}

/** Every table of a sheet, read. */
async function readAll(
  sheet: WorkbookSheet,
  options: SheetReadOptions,
  problems: ProblemCollector,
): Promise<SheetTable[]> {
  const tables: SheetTable[] = [];
  for await (const table of readSheetTables(sheet, options, problems))
    tables.push(table);
  return tables;
}

/** A tracker's figures as plain objects, in order. */
function figures(rows: SavingsRows) {
  return Array.from({ length: rows.length }, (_, i) => ({
    row: rows.row[i],
    service: rows.text(rows.service[i]!),
    council: rows.text(rows.council[i]!),
    year: rows.year[i],
    measure: rows.measure[i],
    cashable: rows.cashable[i] === 1,
    pence: rows.pence[i],
  }));
}

describe("reading a sheet into the reading of its kind", () => {
  it("reads a service list into service records, with its footnotes and without its total row", async () => {
    const { reading, problems } = await read([
      ["Shared services"],
      ["Partnership", "Service", "Partners", "Lead council", "Annual saving"],
      [
        "North East Derbyshire shared services",
        "Internal Audit*",
        "Chesterfield\nBolsover",
        "Chesterfield",
        "£30k",
      ],
      [null, null, null, null, null],
      ["", "Total", "", "", "£30k"],
      ["* Subject to the Joint Committee's approval"],
    ]);
    expect(problems).toEqual([]);
    expect(reading?.kind).toBe("services");
    if (reading?.kind !== "services") return;
    expect(reading.rowsRead).toBe(1);
    expect(reading.headerRow).toBe(2);
    expect(reading.services).toMatchObject([
      {
        row: 3,
        cell: "B3",
        name: "Internal Audit",
        mark: "*",
        partners: { text: "Chesterfield\nBolsover", cell: "C3" },
        host: { text: "Chesterfield", cell: "D3" },
        annualSaving: 3_000_000n,
      },
    ]);
    expect(reading.footnotes.get("*")).toBe(
      "Subject to the Joint Committee's approval",
    );
  });

  it("reads a governance list with seats under council-headed columns", async () => {
    const { reading, problems } = await read([
      ["Body", "Type", "Chair", "Cheshire East", "Cheshire West and Chester"],
      ["Shared Services Joint Committee", "Joint committee", "Cllr A", 3, 3],
    ]);
    expect(problems).toEqual([]);
    expect(reading?.kind).toBe("governance");
    if (reading?.kind !== "governance") return;
    expect(reading.governance).toMatchObject([
      {
        row: 2,
        cell: "A2",
        name: "Shared Services Joint Committee",
        typeText: "Joint committee",
        chair: "Cllr A",
        councilSeats: [
          { council: "Cheshire East", cell: "D2", value: 3 },
          { council: "Cheshire West and Chester", cell: "E2", value: 3 },
        ],
      },
    ]);
  });

  it("reads a funding list, and a funder without an amount is a problem of its cell", async () => {
    const { reading, problems } = await read([
      ["Funder", "Amount awarded", "Purpose"],
      ["Improvement East", "£250,000", "Business case"],
      ["Capital fund", "", "Project manager"],
    ]);
    expect(reading?.kind).toBe("funding");
    if (reading?.kind !== "funding") return;
    expect(reading.funding).toMatchObject([
      { row: 2, cell: "A2", funder: "Improvement East", pence: 25_000_000n },
    ]);
    expect(problems).toMatchObject([
      { code: "missing-value", cell: "B3", row: 3 },
    ]);
  });

  it("continues a service written once over its rows (merged down or blank below) within the same outer labels", async () => {
    const { reading, problems } = await read([
      ["Council", "Service", "Year", "Measure", "Saving £"],
      ["Bolsover", "Internal Audit", "2010/11", "Target", "12,000"],
      ["Bolsover", null, "2011/12", "Target", "13,000"],
      [null, null, "2012/13", "Target", "14,000"],
      ["Chesterfield", null, "2010/11", "Target", "15,000"],
      [],
      [null, null, "2013/14", "Target", "16,000"],
      ["Chesterfield", "Procurement", "2010/11", "Target", "1,000"],
      ["Total", null, null, null, "40,000"],
      [null, null, "2011/12", "Target", "2,000"],
    ]);
    if (reading?.kind !== "savings-long") throw new Error("not a tracker");
    expect(
      figures(reading.savings).map((f) => [f.row, f.service, f.year]),
    ).toEqual([
      [2, "Internal Audit", 2010],
      [3, "Internal Audit", 2011],
      [4, "Internal Audit", 2012],
      [8, "Procurement", 2010],
    ]);
    // Another council's row, a row after a blank row and a row after a total name no service.
    expect(problems.map((p) => [p.code, p.cell])).toEqual([
      ["missing-value", "B5"],
      ["missing-value", "B7"],
      ["missing-value", "B10"],
    ]);
  });

  it("reads a total labelled left of the key column as a total, and tbc as a warning only", async () => {
    const { reading, problems } = await read([
      ["Partnership", "Funder", "Amount awarded"],
      ["Derbyshire RCE Shared Services", "RCE", "£100k"],
      ["Derbyshire RCE Shared Services", "EMIP", "tbc"],
      ["Total", null, "£101k"],
    ]);
    if (reading?.kind !== "funding") throw new Error("not a funding list");
    expect(reading.funding.map((f) => [f.funder, f.pence])).toEqual([
      ["RCE", 10_000_000n],
    ]);
    expect(problems.map((p) => [p.code, p.cell, p.severity])).toEqual([
      ["figure-to-follow", "C3", "warning"],
      ["total-mismatch", "C4", "warning"],
    ]);
  });

  it.each([
    ["given as an empty row", false],
    ["skipped, as the file readers do", true],
  ])(
    "reads a second table under a blank row (%s) as a table of its own, with its own header and kind",
    async (_, skipBlank) => {
      const { tables, problems } = await read(
        [
          ["Partnership:", "Cheshire Shared Services"],
          ["Service", "Financial year", "Measure", "Amount"],
          ["Shared Back Office", "2009/10", "Achieved", 1200000],
          [],
          ["Governance body", "Type", "Membership"],
          ["Joint Committee", "Joint committee", "Cheshire East (5)"],
          ["Officer board", "Officer group"],
        ],
        {},
        skipBlank,
      );
      expect(tables.map((t) => [t.reading?.kind, t.more])).toEqual([
        ["savings-long", true],
        ["governance", false],
      ]);
      const [tracker, governance] = tables.map((t) => t.reading);
      if (tracker?.kind !== "savings-long") throw new Error("not a tracker");
      expect(tracker.savings.length).toBe(1);
      if (governance?.kind !== "governance") throw new Error("no governance");
      expect(governance.headerRow).toBe(5);
      // The sheet's title lines are the second table's too.
      expect(governance.title.partnership).toBe("Cheshire Shared Services");
      expect(
        governance.governance.map((b) => [b.name, b.cell, b.typeText]),
      ).toEqual([
        ["Joint Committee", "A6", "Joint committee"],
        ["Officer board", "A7", "Officer group"],
      ]);
      expect(problems).toEqual([]);
    },
  );

  it.each([
    ["given as empty rows", false],
    ["skipped, as the file readers do", true],
  ])(
    "reads a second table whose header follows a heading line under the blank row (%s), the heading one of its title lines",
    async (_, skipBlank) => {
      const { tables, problems } = await read(
        [
          ["Partnership:", "Cheshire Shared Services"],
          ["Service", "Financial year", "Measure", "Amount"],
          ["Shared Back Office", "2009/10", "Achieved", 1200000],
          [],
          ["Governance"],
          [],
          ["Governance body", "Type", "Membership"],
          ["Joint Committee", "Joint committee", "Cheshire East (5)"],
          [],
          ["Arrangements agreed in 2009"],
          ["Service", "Hosted by"],
          ["Pensions", "Cheshire East"],
        ],
        {},
        skipBlank,
      );
      expect(
        tables.map((t) => [t.reading?.kind, t.reading?.headerRow, t.more]),
      ).toEqual([
        ["savings-long", 2, true],
        ["governance", 7, true],
        ["services", 11, false],
      ]);
      const [, governance, services] = tables.map((t) => t.reading);
      if (governance?.kind !== "governance") throw new Error("no governance");
      expect(governance.governance.map((b) => [b.name, b.cell])).toEqual([
        ["Joint Committee", "A8"],
      ]);
      expect(governance.title.partnership).toBe("Cheshire Shared Services");
      expect(governance.title.lines).toEqual(["Governance"]);
      if (services?.kind !== "services") throw new Error("no services");
      expect(services.services.map((s) => [s.name, s.cell])).toEqual([
        ["Pensions", "A12"],
      ]);
      expect(services.title.lines).toEqual(["Arrangements agreed in 2009"]);
      expect(problems).toEqual([]);
    },
  );

  it("reads a line alone under a blank row as the table's own when no header follows it", async () => {
    const { tables, problems } = await read(
      [
        ["Service", "Hosted by"],
        ["Internal Audit", "Chesterfield"],
        [],
        ["Phase 2"],
        ["Procurement", "Bolsover"],
        [],
        ["Building Control"],
      ],
      {},
      true,
    );
    expect(tables.map((t) => t.reading?.kind)).toEqual(["services"]);
    const reading = tables[0]!.reading;
    if (reading?.kind !== "services") throw new Error("no services");
    // As before: a name alone in its row is a service (a record without its other cells).
    expect(reading.services.map((s) => s.name)).toEqual([
      "Internal Audit",
      "Phase 2",
      "Procurement",
      "Building Control",
    ]);
    expect(problems).toEqual([]);
  });

  it("refuses a second savings tracker under the first once, naming its header row", async () => {
    const { tables, problems } = await read([
      ["Service", "Financial year", "Measure", "Amount"],
      ["Shared Back Office", "2009/10", "Achieved", 1200000],
      [],
      ["Service", "2010/11 Target", "2011/12 Target"],
      ["Pensions", 95000, 95000],
    ]);
    expect(tables.map((t) => [t.reading?.kind, t.more])).toEqual([
      ["savings-long", false],
    ]);
    expect(problems.map((p) => [p.code, p.cell])).toEqual([
      ["bad-value", "A4"],
    ]);
    expect(problems[0]!.message).toMatch(
      /Row 4 starts a second table \(Service, 2010\/11 Target, 2011\/12 Target\) under this one: a second savings tracker/,
    );
  });

  it("reads a record under a blank row as a record when it looks like a header but holds a figure", async () => {
    // "2009/10" and "Cashable" are two known headers: only the figure says it is a record.
    const { reading, problems } = await read(
      [
        ["Service", "Financial year", "Measure", "Cashable", "Amount"],
        ["Internal Audit", "2009/10", "Forecast", "Cashable", 10000],
        [],
        ["Procurement", "2009/10", "Forecast", "Cashable", "£5,000"],
      ],
      {},
      true,
    );
    if (reading?.kind !== "savings-long") throw new Error("not a tracker");
    expect(figures(reading.savings).map((f) => [f.service, f.pence])).toEqual([
      ["Internal Audit", 1_000_000n],
      ["Procurement", 500_000n],
    ]);
    expect(problems).toEqual([]);
  });

  it("answers a sheet one column short of a kind with the --column that names it", async () => {
    const { reading, problems } = await read([
      [
        "Cost Centre",
        "Cost Centre Description",
        "Authority",
        "Financial Year",
        "Actual Saving",
      ],
      ["AU100", "Internal Audit", "Bolsover", "2008/09", "10000"],
    ]);
    expect(reading).toBeNull();
    expect(problems).toMatchObject([{ code: "unknown-sheet", cell: "A1" }]);
    expect(problems[0]!.message).toContain(
      "It reads like a savings tracker (a row a figure) without a service column: say which column holds it with --column 'Cost Centre=service' (the columns not read: Cost Centre, Cost Centre Description)",
    );
  });

  it("reads a cross-tab of councils across the columns, the year above the table, and checks its total row", async () => {
    const { reading, problems } = await read([
      ["Achieved savings by council 2008/09"],
      ["Service", "Chesterfield Borough Council", "Bolsover", "NEDDC"],
      ["Internal Audit", 10000, 10000, 10000],
      ["Procurement", 119000, 119000, null],
      ["Total", 130000, 129000, 10000],
    ]);
    if (reading?.kind !== "savings-wide") throw new Error("not a tracker");
    expect(
      figures(reading.savings).map((f) => [
        f.service,
        f.council,
        f.year,
        f.measure,
        f.pence,
      ]),
    ).toEqual([
      ["Internal Audit", "Chesterfield Borough Council", 2008, 3, 1_000_000n],
      ["Internal Audit", "Bolsover", 2008, 3, 1_000_000n],
      ["Internal Audit", "NEDDC", 2008, 3, 1_000_000n],
      ["Procurement", "Chesterfield Borough Council", 2008, 3, 11_900_000n],
      ["Procurement", "Bolsover", 2008, 3, 11_900_000n],
    ]);
    // Chesterfield's total is £1,000 out; the others agree.
    expect(problems.map((p) => [p.code, p.cell])).toEqual([
      ["total-mismatch", "B5"],
    ]);
  });

  it.each([
    [
      "the year over each year's councils",
      [
        ["Service", "2009/10", null, "2010/11", null],
        [null, "CEC", "CWaC", "CEC", "CWaC"],
      ],
    ],
    [
      "each council over its years",
      [
        ["Service", "CEC", null, "CWaC", null],
        [null, "2009/10", "2010/11", "2009/10", "2010/11"],
      ],
    ],
  ])(
    "reads a cross-tab of councils across with %s (a two-row header), in £000",
    async (_, header) => {
      const { reading, problems } = await read([
        ["Forecast savings by council (£000)"],
        ...header,
        ["Shared Back Office", 300, 200, 400, 300],
      ]);
      if (reading?.kind !== "savings-wide") throw new Error("not a tracker");
      const stored = figures(reading.savings).map((f) => [
        f.council,
        f.year,
        f.measure,
        f.pence,
      ]);
      // Column by column: B, C, D, E.
      const [b, c, d, e] =
        header[0]![1] === "2009/10"
          ? [
              ["CEC", 2009],
              ["CWaC", 2009],
              ["CEC", 2010],
              ["CWaC", 2010],
            ]
          : [
              ["CEC", 2009],
              ["CEC", 2010],
              ["CWaC", 2009],
              ["CWaC", 2010],
            ];
      expect(stored).toEqual([
        [...b!, 2, 30_000_000n],
        [...c!, 2, 20_000_000n],
        [...d!, 2, 40_000_000n],
        [...e!, 2, 30_000_000n],
      ]);
      expect(problems).toEqual([]);
    },
  );

  it("reads a cross-tab of councils across with a year column, each header's scale its own", async () => {
    const { reading, problems } = await read([
      ["Achieved savings by council"],
      ["Service", "Financial year", "CBC (£000)", "BDC (£000)", "NEDDC (£000)"],
      ["Internal Audit", "2007/08", 10, 10, 10],
      ["Internal Audit", "2008/09", 12, 12, "-"],
    ]);
    if (reading?.kind !== "savings-wide") throw new Error("not a tracker");
    expect(
      figures(reading.savings).map((f) => [f.council, f.year, f.pence]),
    ).toEqual([
      ["CBC", 2007, 1_000_000n],
      ["BDC", 2007, 1_000_000n],
      ["NEDDC", 2007, 1_000_000n],
      ["CBC", 2008, 1_200_000n],
      ["BDC", 2008, 1_200_000n],
    ]);
    expect(problems).toEqual([]);
  });

  it("keeps a service list marking each council's part in its own column a service list", async () => {
    const { reading } = await read([
      ["Shared services 2010/11"],
      [
        "Workstream",
        "Host",
        "Chesterfield Borough Council",
        "Bolsover District Council",
      ],
      ["Internal Audit", "CBC", "Y", "Y"],
    ]);
    expect(reading?.kind).toBe("services");
  });

  it("reads a long tracker's figures, carrying a row with a bad measure without a figure of its own", async () => {
    const { reading, problems } = await read([
      ["Period: June 2010"],
      ["Service", "Council", "Year", "Measure", "Saving £"],
      ["Internal Audit", "Bolsover", "2010/11", "Target", "12,000"],
      ["Internal Audit", "Bolsover", "2010/11", "Guess", "1"],
    ]);
    expect(reading?.kind).toBe("savings-long");
    if (reading?.kind !== "savings-long") return;
    expect(reading.title.period).toBe("2010-06");
    expect(figures(reading.savings)).toEqual([
      {
        row: 3,
        service: "Internal Audit",
        council: "Bolsover",
        year: 2010,
        measure: 0,
        cashable: true,
        pence: 1_200_000n,
      },
      {
        row: 4,
        service: "Internal Audit",
        council: "Bolsover",
        year: 2010,
        measure: 0,
        cashable: true,
        pence: 100n,
      },
    ]);
    expect(problems).toMatchObject([{ code: "bad-value", cell: "D4" }]);
  });

  it("reads a wide tracker's year columns as one figure each", async () => {
    const { reading, problems } = await read([
      ["Service", "2010/11 Target", "2011/12 Target"],
      ["Revenues", "1,000", "-"],
    ]);
    expect(problems).toEqual([]);
    expect(reading?.kind).toBe("savings-wide");
    if (reading?.kind !== "savings-wide") return;
    expect(figures(reading.savings)).toMatchObject([
      { row: 2, service: "Revenues", year: 2010, pence: 100_000n },
    ]);
  });

  it("reads notes under a tracker, with or without a blank row before them, as no rows", async () => {
    const { reading, problems } = await read([
      ["Service", "Council", "Year", "Measure", "Saving £"],
      ["Internal Audit", "Bolsover", "2010/11", "Target", "12,000"],
      ["Figures are provisional"],
      ["Source: finance team"],
      [],
      ["Note: Bolsover's figures follow in July"],
      ["NB all amounts exclude VAT."],
      ["Notes:"],
      ["1. Chesterfield joined in 2009"],
      ["2) Procurement from April"],
      ["Prepared by - the partnership office"],
    ]);
    expect(problems).toEqual([]);
    expect(reading?.kind).toBe("savings-long");
    if (reading?.kind !== "savings-long") return;
    expect(reading.rowsRead).toBe(1);
    expect(figures(reading.savings)).toMatchObject([
      { row: 2, service: "Internal Audit", pence: 1_200_000n },
    ]);
  });

  it("still reports a row under a tracker that looks like data: a name alone, or a note with figures", async () => {
    const { reading, problems } = await read([
      ["Service", "Council", "Year", "Measure", "Saving £"],
      ["Internal Audit", "Bolsover", "2010/11", "Target", "12,000"],
      ["Procurement"],
      ["Figures are provisional", "", "", "", "5,000"],
      ["1. Building Control"],
    ]);
    expect(reading?.kind).toBe("savings-long");
    // Each of the three rows is read, and its missing year reported.
    expect([...new Set(problems.map((p) => p.row))]).toEqual([3, 4, 5]);
    expect(problems.filter((p) => p.header === "Year")).toHaveLength(3);
  });

  it("keeps a service list's notes out of its services, and a service named alone in", async () => {
    const { reading, problems } = await read([
      ["Service", "Partners", "Lead council"],
      ["Internal Audit", "Chesterfield, Bolsover", "Chesterfield"],
      ["Procurement"],
      [],
      ["Source: P&C Advisory Panel, 21 January 2009"],
      ["All savings are estimates"],
    ]);
    expect(problems).toEqual([]);
    expect(reading?.kind).toBe("services");
    if (reading?.kind !== "services") return;
    expect(reading.services.map((s) => s.name)).toEqual([
      "Internal Audit",
      "Procurement",
    ]);
  });

  it("hands a tracker's figures on in batches while reading (the rows read with the header first)", async () => {
    const batches: number[] = [];
    const { reading } = await read(
      [
        ["Service", "Year", "Measure", "Amount"],
        ...Array.from({ length: 45 }, () => [
          "Revenues",
          "2010/11",
          "Target",
          1,
        ]),
      ],
      {
        savingsBatchRows: 10,
        onSavings: async (r) => {
          batches.push(r.savings.takeBatch().length);
        },
      },
    );
    expect(batches).toEqual([19, 10, 10]);
    expect(reading?.kind === "savings-long" && reading.savings.length).toBe(6);
  });

  it("reads every row of a sheet it cannot read, so that the next sheet can be", async () => {
    const prose = await read([
      ["Notes"],
      ...Array.from({ length: 30 }, (_, i) => [`line ${i}`]),
    ]);
    expect(prose.reading).toBeNull();
    expect(prose.taken).toBe(31);
    expect(prose.problems).toMatchObject([
      { code: "unknown-sheet", severity: "warning" },
    ]);
    const noAmount = await read(
      [["Funder", "Purpose"], ...Array.from({ length: 30 }, () => ["A", "B"])],
      { kind: "funding" },
    );
    expect(noAmount.reading).toBeNull();
    expect(noAmount.taken).toBe(31);
    expect(noAmount.problems).toMatchObject([
      { code: "missing-value", cell: "A1" },
    ]);
  });

  it("refuses a sheet longer than the row limit, also one it cannot read", async () => {
    const limits = { ...DEFAULT_IMPORT_LIMITS, maxRows: 25 };
    for (const header of [["Service"], ["Notes"]]) {
      const problems = new ProblemCollector("test.xlsx");
      await expect(
        readAll(
          sheetOf([header, ...Array.from({ length: 30 }, () => ["x"])]),
          { limits },
          problems,
        ),
      ).rejects.toBeInstanceOf(SheetTooLarge);
      expect(problems.problems.at(-1)).toMatchObject({ code: "too-large" });
    }
  });
});

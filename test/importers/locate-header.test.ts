import { describe, expect, it } from "vitest";
import {
  locateHeader,
  readPeriod,
  readTitleFacts,
  yearHeader,
} from "../../importers/locate-header.js";
import type { SheetRow } from "../../importers/read-workbook-sheets.js";

const rows = (...lines: (string | null)[][]): SheetRow[] =>
  lines.map((cells, i) => ({ number: i + 1, cells }));

describe("finding the header and reading the title lines", () => {
  it("finds the header under title, date and scale lines", () => {
    const sheet = rows(
      ["Shared services highlight report"],
      ["Period:", "June 2010"],
      ["All figures £000"],
      [],
      ["Partnership", "Service", "Measure", "2010/11", "2011/12"],
      ["B&R", "Single management team", "Target", "246", null],
    );
    const header = locateHeader(sheet, undefined);
    expect(header?.rowNumber).toBe(5);
    const facts = readTitleFacts(sheet.slice(0, header!.rowIndex));
    expect(facts).toMatchObject({
      title: "Shared services highlight report",
      period: "2010-06",
      scale: 1000n,
    });
    expect(facts.cells.period).toBe("B2");
  });

  it("reads a period however it is written", () => {
    expect(readPeriod("June 2010")).toBe("2010-06");
    expect(readPeriod("2010-06")).toBe("2010-06");
    expect(readPeriod("Jun-10")).toBe("2010-06");
    expect(readPeriod("06/2010")).toBe("2010-06");
    expect(readPeriod("sometime")).toBeNull();
  });

  it("reads wide trackers' year headers in every form", () => {
    for (const header of [
      "2010/11",
      "2010-11",
      "FY2010/11",
      "2010/2011",
      "10/11",
      "2010/11 (£000)",
    ])
      expect(yearHeader(header)?.year, header).toBe(2010);
    expect(yearHeader("Target 2010/11")).toEqual({
      year: 2010,
      words: "Target",
    });
    expect(yearHeader("2010/12")).toBeNull();
  });

  it("finds no header in a sheet of prose", () => {
    expect(
      locateHeader(rows(["Notes"], ["These are minutes."]), undefined),
    ).toBeNull();
  });

  it("joins a two-row header: a year over measures, a measure over years, a scale under an amount", () => {
    const yearOverMeasures = locateHeader(
      rows(
        ["Savings tracker"],
        ["Service", "2010/11", "", "", "2011/12", null, "Notes"],
        ["", "Target", "Forecast", "Actual", "Target", "Forecast", ""],
        ["Pensions", "1", "2", "3", "4", "5", "ok"],
      ),
      undefined,
    );
    expect(yearOverMeasures).toMatchObject({
      firstRowIndex: 1,
      rowIndex: 2,
      rowNumber: 3,
      headers: [
        "Service",
        "2010/11 Target",
        "2010/11 Forecast",
        "2010/11 Actual",
        "2011/12 Target",
        "2011/12 Forecast",
        "Notes",
      ],
    });
    expect(
      locateHeader(
        rows(
          ["Service", "Forecast", "", "Council"],
          [null, "2010/11", "2011/12", null],
        ),
        undefined,
      )?.headers,
    ).toEqual(["Service", "Forecast 2010/11", "Forecast 2011/12", "Council"]);
    expect(
      locateHeader(
        rows(["Service", "Year", "Measure", "Amount"], ["", "", "", "(£000)"]),
        undefined,
      )?.headers,
    ).toEqual(["Service", "Year", "Measure", "Amount (£000)"]);
  });

  it("does not join a title line or a data row, nor spread a year over a column it does not complete", () => {
    // A title naming a measure and a year sits above the header: it stays a title line.
    const titled = locateHeader(
      rows(["Forecast savings 2010/11"], ["Service", "Council", "Amount"]),
      undefined,
    );
    expect(titled).toMatchObject({ firstRowIndex: 1, rowIndex: 1 });
    // The first row of a long tracker, with its service blank, is data, not a sub-header.
    expect(
      locateHeader(
        rows(
          ["Service", "Financial year", "Measure", "Amount"],
          ["", "2010/11", "Target", ""],
        ),
        undefined,
      ),
    ).toMatchObject({
      rowIndex: 0,
      headers: ["Service", "Financial year", "Measure", "Amount"],
    });
    // A year spreads over the measures beside it, not over a notes column.
    expect(
      locateHeader(
        rows(
          ["Service", "2010/11", "", ""],
          ["", "Target", "Forecast", "Notes"],
        ),
        undefined,
      ),
    ).toMatchObject({
      rowIndex: 1,
      headers: ["Service", "2010/11 Target", "2010/11 Forecast", "Notes"],
    });
  });

  it("spreads a cell merged across over its merge range only, and an unmerged one over the blanks", () => {
    const upper: SheetRow = {
      number: 1,
      cells: ["Service", "2010/11", "", ""],
      merges: [
        { column: 0, lastColumn: 0, lastRow: 2 },
        { column: 1, lastColumn: 2, lastRow: 1 },
      ],
    };
    const lower: SheetRow = {
      number: 2,
      cells: ["", "Target", "Forecast", "Actual"],
    };
    expect(locateHeader([upper, lower], undefined)?.headers).toEqual([
      "Service",
      "2010/11 Target",
      "2010/11 Forecast",
      "Actual",
    ]);
    const { merges: _merges, ...unmerged } = upper;
    expect(locateHeader([unmerged, lower], undefined)?.headers).toEqual([
      "Service",
      "2010/11 Target",
      "2010/11 Forecast",
      "2010/11 Actual",
    ]);
  });

  it("gives a two-row header's lower Totals by one rule, with merges or without (a CSV)", () => {
    const upper = ["Service", "2009/10", null, null, "2010/11", null, null];
    const lower = ["", "CEC", "CWaC", "Total", "CEC", "CWaC", "Year total"];
    const read = (merged: boolean) =>
      locateHeader(
        [
          {
            number: 1,
            cells: upper,
            ...(merged
              ? {
                  merges: [
                    { column: 1, lastColumn: 3, lastRow: 1 },
                    { column: 4, lastColumn: 6, lastRow: 1 },
                  ],
                }
              : {}),
          },
          { number: 2, cells: [...lower, "Total"] },
        ],
        undefined,
      )?.headers;
    // A year's Total is its last column; the Total after it is the row's, however it is worded.
    const expected = [
      "Service",
      "2009/10 CEC",
      "2009/10 CWaC",
      "2009/10 Total",
      "2010/11 CEC",
      "2010/11 CWaC",
      "2010/11 Year total",
      "Total",
    ];
    expect(read(true)).toEqual(expected);
    expect(read(false)).toEqual(expected);
  });
});

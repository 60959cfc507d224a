import { describe, expect, it } from "vitest";
import {
  isYearToDateHeader,
  locateHeader,
} from "../../importers/locate-header.js";
import {
  readQuarter,
  readQuarterCell,
} from "../../importers/quarter-header.js";
import type { SheetRow } from "../../importers/read-workbook-sheets.js";

const rows = (...lines: (string | null)[][]): SheetRow[] =>
  lines.map((cells, i) => ({ number: i + 1, cells }));

describe("quarters in a tracker's headers", () => {
  it("reads a quarter however it is written, April to June being the first", () => {
    const forms: [string, number, string][] = [
      ["Q1", 1, ""],
      ["q2", 2, ""],
      ["Qtr 3", 3, ""],
      ["Quarter 4", 4, ""],
      ["2nd quarter", 2, ""],
      ["Apr-Jun", 1, ""],
      ["July to September", 2, ""],
      ["Oct – Dec", 3, ""],
      ["Jan-Mar", 4, ""],
      ["Q1 (Apr-Jun)", 1, ""],
      ["Forecast Q3", 3, "Forecast"],
    ];
    for (const [text, quarter, words] of forms)
      expect(readQuarter(text), text).toEqual({ quarter, words });
    for (const text of [
      "Q5",
      "Quarterly",
      "Feb-Apr",
      "Q1 (Jul-Sep)",
      "Service",
      "2010/11",
      "Apr",
    ])
      expect(readQuarter(text), text).toBeNull();
  });

  it("joins a year merged over quarters, and a quarter over years, as one header", () => {
    expect(
      locateHeader(
        rows(
          ["Service", "2010/11", "", "", "", "Total"],
          ["", "Q1", "Q2", "Q3", "Q4", ""],
        ),
        undefined,
      )?.headers,
    ).toEqual([
      "Service",
      "2010/11 Q1",
      "2010/11 Q2",
      "2010/11 Q3",
      "2010/11 Q4",
      "Total",
    ]);
    expect(
      locateHeader(
        rows(
          ["Service", "Q1", "", "Q2"],
          ["", "2010/11", "2011/12", "2010/11"],
        ),
        undefined,
      )?.headers,
    ).toEqual(["Service", "Q1 2010/11", "Q1 2011/12", "Q2 2010/11"]);
    // A quarter completes a year only: under a name it is no part of the header.
    expect(
      locateHeader(rows(["Service", "Notes"], ["Q1", "Q2"]), undefined)
        ?.rowIndex,
    ).toBe(0);
  });
});

describe("a Quarter column's cells", () => {
  it("reads the quarter and the financial year a cell names, in every form an analyst writes them", () => {
    const forms: [string | number | Date, number, number | null][] = [
      ["Q1", 1, null],
      ["Quarter 2", 2, null],
      [3, 3, null],
      ["4", 4, null],
      ["Q1 2010/11", 1, 2010],
      ["Q1 10/11", 1, 2010],
      ["2010/11 Q2", 2, 2010],
      ["FY2010-11 Qtr 3", 3, 2010],
      ["Quarter 4 of 2010/11", 4, 2010],
      ["Apr-Jun 2010", 1, 2010],
      ["Oct-Dec 2010", 3, 2010],
      // January to March are the next calendar year's, in the same financial year.
      ["Jan-Mar 2011", 4, 2010],
      ["June 2010", 1, 2010],
      ["Sep-10", 2, 2010],
      ["31/12/2010", 3, 2010],
      ["March 2011", 4, 2010],
      [new Date(Date.UTC(2011, 2, 31)), 4, 2010],
    ];
    for (const [value, quarter, year] of forms)
      expect(readQuarterCell(value), String(value)).toEqual({ quarter, year });
    for (const value of [
      "Q5",
      0,
      2.5,
      "May 2010",
      new Date(Date.UTC(2010, 3, 1)),
      // A calendar year's quarter, or a financial year's: not decided.
      "Q1 2010",
      "Q1 2011/13",
      "Service",
    ])
      expect(readQuarterCell(value), String(value)).toBeNull();
  });

  it("knows a year to date however it is headed, and nothing else", () => {
    for (const text of [
      "YTD",
      "ytd total",
      "Year to date",
      "Year-to-date",
      "Cumulative",
    ])
      expect(isYearToDateHeader(text), text).toBe(true);
    for (const text of ["Total", "Q1", "Date", "Year", "YTD forecast 2010"])
      expect(isYearToDateHeader(text), text).toBe(false);
  });
});

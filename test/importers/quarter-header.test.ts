import { describe, expect, it } from "vitest";
import {
  isYearToDateHeader,
  locateHeader,
  yearHeader,
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

describe("quarters headed by their last months", () => {
  it("reads a quarter-end month across as its quarter of the financial year it ends (Mar 2012 is Q4 of 2011/12), however the month is written", () => {
    const forms: [string, number, string][] = [
      ["Jun 2011", 2011, "Q1"],
      ["September 2011", 2011, "Q2"],
      ["Sept 2011", 2011, "Q2"],
      ["Dec-11", 2011, "Q3"],
      ["Mar 2012", 2011, "Q4"],
      ["31/03/2012", 2011, "Q4"],
      // A date cell's header, as the readers give it.
      ["2012-03-31", 2011, "Q4"],
      ["30 June 2011", 2011, "Q1"],
      ["Quarter ending June 2011", 2011, "Q1"],
      ["Qtr ended 30 September 2011", 2011, "Q2"],
      ["Q/E Dec 2011", 2011, "Q3"],
      ["Forecast Jun 2011", 2011, "Q1 Forecast"],
      ["Jun 2011 (£000)", 2011, "Q1"],
      // The months with their calendar year, in brackets or not.
      ["Q1 (Apr-Jun 2011)", 2011, "Q1 Apr-Jun"],
      ["Q4 (Jan-Mar 2012)", 2011, "Q4 Jan-Mar"],
    ];
    for (const [text, year, words] of forms)
      expect(yearHeader(text), text).toEqual({ year, words });
    for (const text of [
      // A month that ends no quarter, one counted to, one with other words.
      "May 2011",
      "Achieved to June 2011",
      "Savings as at Jun 2011",
      "Notes Jun 2011",
      "June",
    ])
      expect(yearHeader(text), text).toBeNull();
    // A monthly tracker's months are none of them quarters.
    expect(yearHeader("Jun 2011", false)).toBeNull();
  });

  it("takes quarter-end months across for a header, but not a monthly tracker's months nor one date in a row", () => {
    expect(
      locateHeader(
        rows(
          ["Forecast savings"],
          ["Service", "Jun 2011", "Sep 2011", "Dec 2011", "Mar 2012"],
        ),
        undefined,
      )?.rowIndex,
    ).toBe(1);
    const months = ["Apr", "May", "Jun", "Jul", "Aug", "Sep"].map(
      (m) => `${m} 2011`,
    );
    expect(locateHeader(rows(["Service", ...months]), undefined)).toBeNull();
    expect(
      locateHeader(
        rows(["Period:", "Jun 2011"], ["Service", "Notes"]),
        undefined,
      )?.rowIndex,
    ).toBe(1);
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
      ["Quarter ending 30 June 2010", 1, 2010],
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
      "Forecast June 2010",
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

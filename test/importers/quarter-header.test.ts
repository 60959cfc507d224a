import { describe, expect, it } from "vitest";
import { locateHeader } from "../../importers/locate-header.js";
import { readQuarter } from "../../importers/quarter-header.js";
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

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
});

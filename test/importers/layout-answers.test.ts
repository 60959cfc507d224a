import { describe, expect, it } from "vitest";
import { BadInputError } from "../../errors/hub-error.js";
import { withLayoutAnswers } from "../../importers/layout-answers.js";
import { locateHeader } from "../../importers/locate-header.js";
import {
  pinnedHeaderRow,
  validateMappingProfile,
} from "../../importers/mapping-profile.js";
import { mergeAnswers } from "../../importers/remembered-answers.js";
import type { SheetRow } from "../../importers/read-workbook-sheets.js";

const CLI = { headerRow: "--header-row", column: "--column" };

function rows(lines: (string | number | null)[][]): SheetRow[] {
  return lines.map((cells, i) => ({ number: i + 1, cells }));
}

describe("a pinned header row and column roles given as answers", () => {
  it("reads --header-row for every sheet or sheet by sheet, and --column by heading or letter", () => {
    expect(
      withLayoutAnswers(
        undefined,
        { headerRows: ["4"], columns: ["Officer=ignore", "C = host"] },
        CLI,
      ),
    ).toEqual({ headerRow: 4, columns: { Officer: "ignore", C: "host" } });
    expect(
      withLayoutAnswers(
        { headerRow: { Services: 2 }, columns: { C: "council" } },
        { headerRows: ["Tracker!4", "'June 2010':5"], columns: ["C=host"] },
        CLI,
      ),
    ).toEqual({
      headerRow: { Services: 2, Tracker: 4, "June 2010": 5 },
      columns: { C: "host" },
    });
    expect(withLayoutAnswers(undefined, {}, CLI)).toBeUndefined();
  });

  it("refuses a bad answer naming the option and what it should be", () => {
    const refusal = (answers: Parameters<typeof withLayoutAnswers>[1]) => {
      try {
        withLayoutAnswers(undefined, answers, CLI);
      } catch (error) {
        expect(error).toBeInstanceOf(BadInputError);
        return (error as Error).message;
      }
      return null;
    };
    expect(refusal({ headerRows: ["row four"] })).toMatch(
      /^--header-row "row four" must be a row number/,
    );
    expect(refusal({ headerRows: ["0"] })).toMatch(/--header-row "0"/);
    expect(refusal({ headerRows: ["4", "Tracker!5"] })).toMatch(
      /--header-row was given both for every sheet \(4\) and for named sheets/,
    );
    expect(refusal({ columns: ["Officer"] })).toMatch(
      /^--column "Officer" must be written "Heading=role"/,
    );
    expect(refusal({ columns: ["Officer=boss"] })).toMatch(
      /^--column "Officer=boss": "boss" is not a column role \(one of service, .*ignore\)/,
    );
  });

  it("finds a sheet's pinned row by its layout, so that June's row is July's", () => {
    const profile = validateMappingProfile(
      { headerRow: { "Tracker June 2010": 3, Services: 2 } },
      "test",
    );
    expect(pinnedHeaderRow(profile, "tracker july 2010")).toBe(3);
    expect(pinnedHeaderRow(profile, "Services")).toBe(2);
    expect(pinnedHeaderRow(profile, "Governance")).toBeUndefined();
    expect(pinnedHeaderRow({ headerRow: 7 }, "Governance")).toBe(7);
    expect(() =>
      validateMappingProfile({ headerRow: { Tracker: "4" } }, "test"),
    ).toThrow(/"headerRow" must be a row number \(1 or more\), or an object/);
  });

  it("takes the pinned row of the sheet being read, over a row that looks more like a header", () => {
    const lines = rows([
      ["Service", "Council", "Year", "Amount"],
      ["Key: Service = workstream, Amount in £"],
      ["Workstream", "Authority", "FY", "Value"],
      ["Internal Audit", "Bolsover", "2010/11", 100],
    ]);
    const profile = { headerRow: { Tracker: 3 } };
    expect(locateHeader(lines, profile, "Tracker")?.rowNumber).toBe(3);
    expect(locateHeader(lines, profile, "Other")?.rowNumber).toBe(1);
  });

  it("a given header row wins over a remembered one, sheet by sheet when both name sheets", () => {
    expect(
      mergeAnswers(
        { headerRow: { Tracker: 5 } },
        {
          headerRow: { Tracker: 4, Services: 2 },
          measure: "FORECAST" as never,
        },
        false,
      ),
    ).toEqual({ headerRow: { Tracker: 5, Services: 2 }, measure: "FORECAST" });
    expect(
      mergeAnswers({ headerRow: 6 }, { headerRow: { Tracker: 4 } }, false),
    ).toEqual({ headerRow: 6 });
    expect(
      mergeAnswers(
        { columns: { C: "host" } },
        { columns: { C: "council", Officer: "ignore" } },
        false,
      ),
    ).toEqual({ columns: { C: "host", Officer: "ignore" } });
  });
});

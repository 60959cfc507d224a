import { describe, expect, it } from "vitest";
import {
  periodFromFileName,
  periodLayoutOf,
} from "../../importers/period-in-file-name.js";
import {
  givenAnswers,
  mergeAnswers,
} from "../../importers/remembered-answers.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import type { SheetRow } from "../../importers/cell-value.js";
import { sheetShape, workbookShape } from "../../importers/workbook-shape.js";

const rows = (...cells: (string | number | null)[][]): SheetRow[] =>
  cells.map((c, i) => ({ number: i + 1, cells: c }));

function trackerShape(
  sheet: string,
  title: string,
  header: string[],
  data: (string | number | null)[][],
) {
  return workbookShape([
    sheetShape(sheet, rows([title], [], header, ...data)),
    sheetShape("Notes", rows(["Notes"], ["Figures in £"])),
  ]);
}

describe("a workbook's shape", () => {
  const header = ["Council", "Service", "2010/11 Forecast", "2011/12 Forecast"];

  it("is the same for next month's file of the same layout: other month, other rows, other figures", () => {
    const june = trackerShape(
      "June 2010",
      "Savings tracker Period: June 2010",
      header,
      [["Bolsover", "Internal Audit", 1000, 2000]],
    );
    const july = trackerShape(
      "July 2010",
      "Savings tracker Period: July 2010",
      header,
      [
        ["Bolsover", "Internal Audit", 1500, 2500],
        ["Chesterfield", "Procurement", 700, 800],
        [null, "Legal services", 1, 2],
      ],
    );
    expect(july.key).toBe(june.key);
    expect(june.sheets[0]).toEqual({
      name: "<month> #",
      header: ["council", "service", "#/# forecast", "#/# forecast"],
    });
  });

  it("differs for another layout: other headers, another column, other sheets", () => {
    const base = trackerShape("Tracker", "Savings", header, []);
    expect(
      trackerShape(
        "Tracker",
        "Savings",
        ["Council", "Project", ...header.slice(2)],
        [],
      ).key,
    ).not.toBe(base.key);
    expect(
      trackerShape("Tracker", "Savings", [...header, "Notes"], []).key,
    ).not.toBe(base.key);
    expect(
      workbookShape([sheetShape("Tracker", rows(["Savings"], [], header))]).key,
    ).not.toBe(base.key);
    expect(trackerShape("Summary", "Savings", header, []).key).not.toBe(
      base.key,
    );
  });

  it("takes the row with the most words as the header, whatever a pinned header row would say", () => {
    const shape = sheetShape(
      "Tracker",
      rows(["Title"], ["a", "b", "c"], ["Internal Audit", 10, 20]),
    );
    expect(shape.header).toEqual(["a", "b", "c"]);
  });
});

describe("the month in a file name, in a layout the importer was told", () => {
  it("learns the layout from --period and reads next month's name with it", () => {
    expect(periodLayoutOf("savings 06-2010.xlsx", "2010-06")).toBe("MM-YYYY");
    expect(periodFromFileName("savings 07-2010.xlsx", "MM-YYYY")).toBe(
      "2010-07",
    );
    expect(periodLayoutOf("tracker 062010 final.xlsx", "2010-06")).toBe(
      "MMYYYY",
    );
    expect(periodLayoutOf("rce_06_10.xlsx", "2010-06")).toBe("MM-YY");
    expect(periodFromFileName("rce_07_10.xlsx", "MM-YY")).toBe("2010-07");
  });

  it("learns nothing from a file name that does not write the month given", () => {
    expect(periodLayoutOf("savings.xlsx", "2010-06")).toBeNull();
    expect(periodLayoutOf("savings 07-2010.xlsx", "2010-06")).toBeNull();
    expect(
      periodFromFileName("13-2010 and 14-2010.xlsx", "MM-YYYY"),
    ).toBeNull();
  });
});

describe("answers given and remembered", () => {
  it("remembers --period only as where the month is in the file name, and only where the importer does not see it itself", () => {
    expect(givenAnswers({ period: "2010-06" }, "savings 06-2010.xlsx")).toEqual(
      { periodInFileName: "MM-YYYY" },
    );
    expect(givenAnswers({ period: "2010-06" }, "tracker-2010-06.xlsx")).toEqual(
      {},
    );
    expect(givenAnswers({ period: "2010-06" }, "savings.xlsx")).toEqual({});
  });

  it("lets a given answer win, field by field and column by column", () => {
    const remembered = {
      partnership: "A",
      measure: SavingsMeasure.FORECAST,
      periodInFileName: "MM-YYYY" as const,
      columns: { C: "host" as const, D: "ignore" as const },
    };
    expect(
      mergeAnswers(
        { measure: SavingsMeasure.ACHIEVED, columns: { C: "council" } },
        remembered,
        true,
      ),
    ).toEqual({
      partnership: "A",
      measure: SavingsMeasure.ACHIEVED,
      columns: { C: "council", D: "ignore" },
    });
  });
});

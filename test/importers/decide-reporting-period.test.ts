import { describe, expect, it } from "vitest";
import { decideReportingPeriod } from "../../importers/decide-reporting-period.js";
import { readTitleFacts } from "../../importers/locate-header.js";
import type { SheetRow } from "../../importers/read-workbook-sheets.js";

const title = (...lines: (string | Date)[][]) =>
  readTitleFacts(lines.map((cells, i): SheetRow => ({ number: i + 1, cells })));

const decide = (
  facts: ReturnType<typeof title>,
  sheetName = "Tracker",
  fileName = "tracker.xlsx",
  option: string | null = null,
) =>
  decideReportingPeriod({
    option,
    title: facts,
    sheetName,
    fileName,
    workbook: null,
  });

describe("deciding a sheet's reporting period", () => {
  it.each([
    { line: ["Period:", "June 2010"] },
    { line: ["Period: June 2010"] },
    { line: ["Month 3 (June 2010)"] },
    { line: ["P3 2010/11"] },
    { line: ["Reporting period:", "P3 2010/11"] },
    { line: ["Quarter 1 2010/11"] },
    { line: ["Savings tracker – June 2010"] },
    { line: ["As at 30 June 2010"] },
    { line: ["Period:", new Date(Date.UTC(2010, 5, 30))] },
  ])("reads the title line $line", ({ line }) => {
    const decided = decide(title(["Savings tracker"], line));
    expect(decided.period).toBe("2010-06");
    expect(decided.source?.kind).toBe("title");
    expect(decided.disagreements).toEqual([]);
  });

  it('takes "Period 3"\'s financial year from the title, the sheet name or the file name', () => {
    expect(decide(title(["Tracker 2010/11"], ["Period 3"])).period).toBe(
      "2010-06",
    );
    expect(decide(title(["Period: 3"]), "2010-11").period).toBe("2010-06");
    expect(
      decide(title(["Period 3"]), "Tracker", "rce-2010-11.xlsx").period,
    ).toBe("2010-06");
    const alone = decide(title(["Period 3"]));
    expect(alone).toMatchObject({ period: null, needsYear: "Period 3" });
  });

  it("trusts the title, then the sheet name, then the file name, and says which", () => {
    expect(decide(title(["Savings"]), "June 2010").source).toEqual({
      kind: "sheet-name",
      period: "2010-06",
      place: 'the sheet name "June 2010"',
    });
    expect(
      decide(title(["Savings"]), "Tracker", "tracker-2010-06.xlsx").source,
    ).toEqual({
      kind: "file-name",
      period: "2010-06",
      place: 'the file name "tracker-2010-06.xlsx"',
    });
    expect(
      decide(title(["Period:", "June 2010"]), "Tracker").source?.place,
    ).toBe("the period written in Tracker!B1");
  });

  it("returns every place naming another month as a disagreement", () => {
    const decided = decide(
      title(["Period:", "June 2010"]),
      "July 2010",
      "tracker-2010-08.xlsx",
    );
    expect(decided.period).toBe("2010-06");
    expect(decided.disagreements.map((d) => d.kind)).toEqual([
      "sheet-name",
      "file-name",
    ]);
    expect(
      decide(title(["Period:", "June 2010"]), "June 2010", "june-2010.xlsx")
        .disagreements,
    ).toEqual([]);
  });

  it("lets --period win, still returning what the workbook says", () => {
    const decided = decide(
      title(["Period:", "June 2010"]),
      "Tracker",
      "t.xlsx",
      "2010-07",
    );
    expect(decided.source?.kind).toBe("option");
    expect(decided.period).toBe("2010-07");
    expect(decided.disagreements).toHaveLength(1);
  });
});

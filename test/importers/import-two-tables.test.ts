import { describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
import { useTestDatabase } from "../support/test-database.js";
import { workbookDir } from "./support/write-test-workbook.js";
import { inEveryFormat } from "./support/import-in-every-format.js";

const db = useTestDatabase();
const dir = workbookDir();

const CHESHIRE = "Cheshire Shared Services";

/**
 * A tracker, a blank row, then a governance list on the same sheet, under one title (t15); with
 * `heading`, lines between the blank row and the governance list's header.
 */
function twoTables(
  b: number,
  bodyType: string,
  heading: (string | null)[][] = [],
): SampleWorkbook {
  return {
    file: "two-tables.xlsx",
    sheets: [
      {
        name: "Summary",
        title: [["Partnership:", CHESHIRE], ["Period:", "March 2010"], []],
        header: ["Service", "Financial year", "Measure", "Amount"],
        rows: [
          ["Shared Back Office", "2009/10", "Achieved", 1_200_000 + b],
          ["Pensions", "2009/10", "Achieved", 95_000 + b],
          [],
          ...heading,
          ["Governance body", "Type", "Membership"],
          [
            "Joint Committee",
            bodyType,
            "Cheshire East (5); Cheshire West and Chester (5)",
          ],
        ],
      },
    ],
  };
}

async function stored(runId: number): Promise<string[]> {
  const connection = db.orm.em.fork().getConnection();
  const figures = await connection.execute<{ line: string }[]>(
    `select concat_ws(' ', s.name, f.financial_year, f.measure, f.amount::text) as line
     from savings_figure f join service s on s.id = f.service_id
     where f.import_run_id = ? order by 1`,
    [runId],
  );
  const bodies = await connection.execute<{ line: string }[]>(
    `select concat_ws(' ', b.name, b.kind) as line
     from governance_body b join partnership p on p.id = b.partnership_id
     where p.name = ? order by 1`,
    [CHESHIRE],
  );
  return [...figures, ...bodies].map((r) => r.line);
}

describe("a sheet of two tables", () => {
  it.each([
    ["straight after the blank row", [], 8],
    ["after a heading line", [["Governance"]], 9],
    [
      "after a heading, a blank line and a note",
      [["Governance arrangements"], [], ["As agreed by the Joint Committee"]],
      11,
    ],
  ])(
    "reads a governance list under a tracker as a table of its own, its header %s, in every format",
    async (_, heading: (string | null)[][], headerRow: number) => {
      for (const { bump: b, format, importSample } of inEveryFormat(db, dir)) {
        const report = await importSample(
          twoTables(b, b % 2 ? "Joint board" : "Joint committee", heading),
        );
        expect(
          report.problems.filter((p) => p.severity === "error"),
          format,
        ).toEqual([]);
        expect(report.status, format).toBe("IMPORTED");
        expect(
          report.sheets.map((s) => [s.sheet, s.kind, s.header?.headerRow]),
          format,
        ).toEqual(
          // A CSV's one sheet is named after its file.
          [
            ["savings-long", 4],
            ["governance", headerRow],
          ].map((t) => [format === "csv" ? "two-tables" : "Summary", ...t]),
        );
        // The sheet's figures are counted on the tracker's line only: the first import creates the
        // partnership, 2 services and 2 figures there, the body, 2 members and 2 seats under it (the
        // cases after the first find them made).
        if (b === 0 && headerRow === 8)
          expect(report.sheets.map((s) => [s.created, s.updated])).toEqual([
            [5, 0],
            [5, 0],
          ]);
        expect(await stored(report.importRunId), format).toEqual([
          `Pensions 2009 ACHIEVED ${95_000 + b}.00`,
          `Shared Back Office 2009 ACHIEVED ${1_200_000 + b}.00`,
          `Joint Committee ${b % 2 ? "JOINT_BOARD" : "JOINT_COMMITTEE"}`,
        ]);
      }
    },
  );
});

import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/test-database.js";
import { workbookDir } from "./support/write-test-workbook.js";
import type { WorkbookFormat } from "../../importers/workbook-format.js";
import {
  importSampleAs,
  inEveryFormat,
} from "./support/import-in-every-format.js";

const db = useTestDatabase();
const dir = workbookDir();

type Line = (string | number | null)[];

/** A tracker of one sheet (period June 2021) naming Buckinghamshire for 2015/16 and 2021/22. */
async function importBuckinghamshire(
  format: WorkbookFormat,
  header: string[],
  rows: Line[],
  streaming: boolean,
) {
  const report = await importSampleAs(
    db,
    dir,
    {
      file: "bucks.xlsx",
      sheets: [
        {
          name: "Tracker",
          title: [
            ["Buckinghamshire shared audit – savings"],
            ["Period:", "June 2021"],
            ["Partnership:", "Buckinghamshire Audit Partnership"],
          ],
          header,
          rows,
        },
      ],
    },
    format,
    { streaming },
  );
  const figures = await db.orm.em
    .fork()
    .getConnection()
    .execute<{ year: number; council: string }[]>(
      `select f.financial_year as year, c.gss_code as council from savings_figure f
       join council c on c.id = f.council_id where f.import_run_id = ? order by f.financial_year`,
      [report.importRunId],
    );
  return { report, figures };
}

const AS_OF_EACH_YEAR = [
  { year: 2015, council: "E10000002" },
  { year: 2021, council: "E06000060" },
];

describe("councils named in a tracker's rows, as of each figure's financial year", () => {
  it("reads Buckinghamshire in a 2015/16 row as the county council and in a 2021/22 row of the same sheet as the unitary one, in all four formats, streamed or not", async () => {
    for (const { bump, format } of inEveryFormat(db, dir))
      for (const streaming of [true, false]) {
        const { report, figures } = await importBuckinghamshire(
          format,
          ["Service", "Council", "Financial year", "Measure", "Saving"],
          [
            [
              "Internal Audit",
              "Buckinghamshire",
              "2015/16",
              "Achieved",
              10000 + bump + (streaming ? 10 : 0),
            ],
            [
              "Internal Audit",
              "Buckinghamshire",
              "2021/22",
              "Achieved",
              20000 + bump + (streaming ? 10 : 0),
            ],
          ],
          streaming,
        );
        expect(report.status, format).toBe("IMPORTED");
        expect(figures, `${format} streaming ${streaming}`).toEqual(
          AS_OF_EACH_YEAR,
        );
      }
  });

  it("reads a wide tracker's row as of each year column's year", async () => {
    const { report, figures } = await importBuckinghamshire(
      "xlsx",
      ["Service", "Council", "2015/16 Achieved", "2021/22 Achieved"],
      [["Internal Audit", "Buckinghamshire", 10500, 20500]],
      true,
    );
    expect(report.status).toBe("IMPORTED");
    expect(figures).toEqual(AS_OF_EACH_YEAR);
  });
});

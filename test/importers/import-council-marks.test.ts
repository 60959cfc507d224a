import { describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
import { useTestDatabase } from "../support/test-database.js";
import { workbookDir } from "./support/write-test-workbook.js";
import { inEveryFormat } from "./support/import-in-every-format.js";

const db = useTestDatabase();
const dir = workbookDir();

const CBC = "Chesterfield Borough Council";
const BDC = "Bolsover District Council";
const NEDDC = "North East Derbyshire District Council";

/** The partnership's members by GSS code, each with its role. */
async function members(partnership: string): Promise<string[]> {
  const rows = await db.orm.em
    .fork()
    .getConnection()
    .execute<{ member: string }[]>(
      `select concat_ws(' ', c.gss_code, m.role) as member from membership m
       join council c on c.id = m.council_id join partnership p on p.id = m.partnership_id
       where p.name = ? order by 1`,
      [partnership],
    );
  return rows.map((r) => r.member);
}

/** What each service of the partnership keeps of its marks. */
async function takingPart(partnership: string): Promise<string[]> {
  const rows = await db.orm.em
    .fork()
    .getConnection()
    .execute<{ line: string }[]>(
      `select concat(s.name, ': ', s.extra->>'Councils taking part (as marked)') as line
       from service s join partnership p on p.id = s.partnership_id where p.name = ? order by 1`,
      [partnership],
    );
  return rows.map((r) => r.line);
}

function serviceList(
  partnership: string,
  councils: string[],
  rows: (string | null)[][],
): SampleWorkbook {
  return {
    file: "services-marked.xlsx",
    sheets: [
      {
        name: "Workstreams",
        title: [
          ["RCE funded shared services project"],
          ["Partnership:", partnership],
        ],
        header: ["Workstream", "Host", ...councils, "Go live"],
        rows,
      },
    ],
  };
}

describe("a service list with a column per council marking its part", () => {
  it("reads the councils marked as the partnership's members, names a marked council that was none, and reports the columns as councils' parts, in every format", async () => {
    for (const { format, importSample } of inEveryFormat(db, dir)) {
      const partnership = `Derbyshire marks ${format}`;
      // A partnership of two members, as an earlier list left it.
      const first = await importSample(
        serviceList(
          partnership,
          [CBC, BDC],
          [["Internal Audit", "CBC", "Y", "Yes"]],
        ),
      );
      expect(
        first.problems.filter(
          (p) =>
            p.code !== "partnership-from-workbook" && p.code !== "similar-name",
        ),
        format,
      ).toEqual([]);
      expect(await members(partnership), format).toEqual([
        "E07000033 MEMBER",
        "E07000034 HOST",
      ]);
      const report = await importSample(
        serviceList(
          partnership,
          [CBC, BDC, NEDDC],
          [
            ["Internal Audit", "CBC", "Y", "✓", null],
            ["Procurement", "BDC", "y", "Y", "N"],
            ["Building Control", "CBC", "Yes", "-", "Y"],
            ["Legal", "CBC", "Y", "maybe", null],
          ],
        ),
      );
      expect(report.status, format).toBe("IMPORTED");
      expect(
        report.problems.map((p) => [p.code, p.severity, p.cell, p.message]),
        format,
      ).toEqual([
        [
          "bad-value",
          "warning",
          "D7",
          `"maybe" in D7 does not say whether ${BDC} takes part in the service: write Y (or Yes, or a tick) where it does, and leave it blank or write N where it does not.`,
        ],
        [
          "not-a-member",
          "warning",
          "E6",
          `E6 marks ${NEDDC} as taking part in "Building Control", but it was not a member of "${partnership}": it was added as one, as a Partners column's councils are. If it takes no part, clear the mark.`,
        ],
      ]);
      expect(await members(partnership), format).toEqual([
        "E07000033 HOST",
        "E07000034 HOST",
        "E07000038 MEMBER",
      ]);
      expect(await takingPart(partnership), format).toEqual([
        `Building Control: ${CBC}, ${NEDDC}`,
        `Internal Audit: ${CBC}, ${BDC}`,
        `Legal: ${CBC}`,
        `Procurement: ${CBC}, ${BDC}`,
      ]);
      const columns = report.sheets[0]!.header!.columns.map((c) => c.use);
      expect(columns, format).toEqual([
        "role",
        "role",
        "council-part",
        "council-part",
        "council-part",
        "role",
      ]);
    }
  });
});

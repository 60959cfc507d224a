import { describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
import { writeSampleAs } from "../../fixtures/write-sheet-formats.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { useTestDatabase } from "../support/test-database.js";
import { workbookDir } from "./support/write-test-workbook.js";
import { inEveryFormat } from "./support/import-in-every-format.js";

const db = useTestDatabase();
const dir = workbookDir();

const PARTNERSHIP = "Derbyshire RCE Shared Services";
const CBC = "Chesterfield Borough Council";
const BDC = "Bolsover District Council";
const NEDDC = "North East Derbyshire District Council";

type Line = (string | number | null)[];

function governance(
  header: string[],
  rows: Line[],
  file: string,
): SampleWorkbook {
  return {
    file,
    sheets: [
      {
        name: "Governance",
        title: [
          ["RCE shared services – governance"],
          ["Partnership:", PARTNERSHIP],
          [],
        ],
        header,
        rows,
      },
    ],
  };
}

/** Every body of the partnership with its chair and seats, as an analyst would read them. */
async function bodies(): Promise<string[]> {
  const rows = await db.orm.em
    .fork()
    .getConnection()
    .execute<
      {
        name: string;
        kind: string;
        chair: string | null;
        gss: string | null;
        seats: number | null;
        role: string | null;
      }[]
    >(
      `select b.name, b.kind, b.chair, c.gss_code as gss, s.seats, s.role
       from governance_body b join partnership p on p.id = b.partnership_id
       left join governance_seat s on s.body_id = b.id left join council c on c.id = s.council_id
       where p.name = ? order by b.name, c.gss_code`,
      [PARTNERSHIP],
    );
  return rows.map(
    (r) =>
      `${r.name} (${r.kind}${r.chair ? `, chaired by ${r.chair}` : ""}): ${r.gss ?? "no seats"}${r.gss ? ` ${r.seats ?? "?"} seat(s)${r.role ? `: ${r.role}` : ""}` : ""}`,
  );
}

async function clear(): Promise<void> {
  await db.orm.em
    .fork()
    .getConnection()
    .execute(
      `delete from governance_body b using partnership p where p.id = b.partnership_id and p.name = ?`,
      [PARTNERSHIP],
    );
}

const EXPECTED = [
  `Joint Board (JOINT_BOARD, chaired by Leader, ${CBC}): E07000033 1 seat(s): Leader`,
  "Joint Board (JOINT_BOARD, chaired by Leader, Chesterfield Borough Council): E07000034 2 seat(s): Leader (Chair) and Chief Executive",
  `Joint Board (JOINT_BOARD, chaired by Leader, ${CBC}): E07000038 1 seat(s): Leader`,
  "Officer Steering Group (STEERING_GROUP): E07000033 1 seat(s): Senior Officer",
  "Officer Steering Group (STEERING_GROUP): E07000034 1 seat(s): Senior Officer",
  "Officer Steering Group (STEERING_GROUP): E07000038 1 seat(s): Senior Officer",
];

describe("a governance list of members one per row under each body", () => {
  it("reads each body's heading row and its member rows as seats counted per council, the posts as who sits and the Chair as its chair, in all four formats", async () => {
    for (const { format, importSample } of inEveryFormat(db, dir)) {
      await clear();
      const report = await importSample(
        governance(
          ["Body", "Member", "Council", "Role"],
          [
            ["Joint Board", null, null, null],
            [null, "Leader", CBC, "Chair"],
            [null, "Leader", BDC, null],
            [null, "Leader", NEDDC, null],
            [null, "Chief Executive", CBC, null],
            ["Officer Steering Group", null, null, null],
            [null, "Senior Officer", CBC, null],
            [null, "Senior Officer", BDC, null],
            [null, "Senior Officer", NEDDC, null],
          ],
          `governance.${format}`,
        ),
      );
      expect(
        report.problems.filter((p) => p.severity === "error"),
        format,
      ).toEqual([]);
      expect(
        report.problems.filter((p) => p.code === "unknown-column"),
        format,
      ).toEqual([]);
      expect(report.status, format).toBe("IMPORTED");
      expect(report.sheets[0], format).toMatchObject({ kind: "governance" });
      expect(await bodies(), format).toEqual(EXPECTED);
    }
  });

  it("reads a body named only on its first member row, or on every row, with the councils' short forms; a member with no council is a warning naming its cell", async () => {
    await clear();
    const path = await writeSampleAs(
      governance(
        ["Governance body", "Representative", "Authority", "Position"],
        [
          ["Joint Board", "Leader", "CBC", "Chair"],
          [null, "Leader", "BDC", null],
          [null, "Leader", "NEDDC", null],
          [null, "Chief Executive", "Chesterfield", null],
          [null, "Independent adviser", null, null],
          ["Officer Steering Group", "Senior Officer", "CBC", null],
          ["Officer Steering Group", "Senior Officer", "BDC", null],
          ["Officer Steering Group", "Senior Officer", "NEDDC", null],
        ],
        "governance-first-row.xlsx",
      ),
      "xlsx",
      dir,
    );
    const report = await importWorkbook(db.orm, path, { runBy: "test" });
    expect(report.status).toBe("IMPORTED");
    expect(
      report.problems.filter((p) => p.code !== "partnership-from-workbook"),
    ).toMatchObject([
      {
        code: "missing-value",
        severity: "warning",
        cell: "C9",
        message:
          'Row 9 names "Independent adviser" of Joint Board but no council: it is counted in no council\'s seats. Fill in its Authority.',
      },
    ]);
    expect(await bodies()).toEqual(
      EXPECTED.map((line) => line.replace(CBC, "CBC")),
    );
  });

  it("refuses a member row whose council does not resolve, naming the cell, and writes nothing", async () => {
    await clear();
    const path = await writeSampleAs(
      governance(
        ["Body", "Member", "Council", "Role"],
        [
          ["Joint Board", null, null, null],
          [null, "Leader", CBC, "Chair"],
          [null, "Leader", "Bolsovr Distrct", null],
        ],
        "governance-unknown.csv",
      ),
      "csv",
      dir,
    );
    const report = await importWorkbook(db.orm, path, { runBy: "test" });
    expect(report.status).toBe("REFUSED");
    expect(report.problems.filter((p) => p.severity === "error")).toMatchObject(
      [
        {
          code: "unknown-council",
          cell: "C7",
          row: 7,
          value: "Bolsovr Distrct",
        },
      ],
    );
    expect(await bodies()).toEqual([]);
  });
});

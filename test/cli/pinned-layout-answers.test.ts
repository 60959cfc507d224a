import "reflect-metadata";
import { beforeAll, describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
import { sampleWorkbookPaths } from "../../importers/import-sample-data.js";
import { useTestDatabase } from "../support/test-database.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "../importers/support/write-test-workbook.js";
import { runSshub } from "../support/sshub-process.js";

// These run the built CLI (`bin/sshub.js` → `dist/`), which `npm test` rebuilds first (pretest).
const PARTNERSHIP = "Derbyshire RCE Shared Services";

const db = useTestDatabase();
const dir = workbookDir();
beforeAll(async () => {
  const setup = sshub(["import", ...sampleWorkbookPaths().slice(0, 2)]);
  expect(setup.status).toBe(0);
});

const sshub = (args: string[]) => runSshub(args, db.url);

/**
 * A monthly tracker whose header no synonym names (row 3, under a title and a blank row), on a sheet
 * named after its month: only a pinned header row and pinned columns read it.
 */
function tracker(
  file: string,
  month: string,
  rows: (string | number | null)[][],
): SampleWorkbook {
  return {
    file,
    sheets: [
      {
        name: month,
        title: [["Shared services savings"], []],
        header: ["Line of work", "Who", "When", "How much"],
        rows,
      },
    ],
  };
}

interface Report {
  status: string;
  rememberedAnswers: { importRunId: number } | null;
  answers: Record<string, unknown> | null;
  sheets: { sheet: string; header: { headerRow: number } | null }[];
  problems: { code: string; message: string }[];
}

const PINNED = [
  "--header-row",
  "June 2010!3",
  "--column",
  "A=service",
  "--column",
  "B=council",
  "--column",
  "When=financialYear",
  "--column",
  "D=amount",
];

describe("a pinned header row and column roles, remembered month to month", () => {
  it("refuses a tracker whose header it cannot find, and imports it with --header-row and --column", async () => {
    const path = await writeTestWorkbook(
      dir,
      tracker("layout 06-2010.xlsx", "June 2010", [
        ["Internal Audit", "Bolsover", "2010/11", 1000],
      ]),
    );
    const common = [
      "--measure",
      "forecast",
      "--partnership",
      PARTNERSHIP,
      "--period",
      "2010-06",
    ];
    const without = JSON.parse(
      sshub(["import", path, "--json", "--no-remember", ...common]).stdout,
    ) as Report;
    expect(without.status).toBe("REFUSED");
    expect(without.problems[0]?.message).toMatch(/has no header row/);

    const result = sshub(["import", path, ...common, ...PINNED]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/layout 06-2010.xlsx: IMPORTED/);
    expect(result.stdout).toMatch(
      /answers remembered for this workbook's layout as profile #\d+: .*header row 3 on sheet "June 2010", column A → service, column B → council, column When → financialYear, column D → amount/,
    );
    expect(result.status).toBe(0);
  });

  it('July\'s tracker of the same layout (sheet "July 2010") imports with no option', async () => {
    const path = await writeTestWorkbook(
      dir,
      tracker("layout 07-2010.xlsx", "July 2010", [
        ["Internal Audit", "Bolsover", "2010/11", 1500],
      ]),
    );
    const result = sshub(["import", path, "--json"]);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as Report;
    expect(report.status).toBe("IMPORTED");
    expect(report.rememberedAnswers).not.toBeNull();
    expect(report.sheets[0]?.header?.headerRow).toBe(3);
    const figures = await db.orm.em
      .getConnection()
      .execute<{ measure: string; amount: string }[]>(
        `select f.measure, f.amount from savings_figure f join import_run r on r.id = f.import_run_id
          where r.file_name = 'layout 07-2010.xlsx' and r.status = 'IMPORTED'`,
      );
    expect(figures).toEqual([{ measure: "FORECAST", amount: "1500.00" }]);
  });

  it("an explicit --header-row or --column wins over the remembered one, field by field", () => {
    const path = `${dir}/layout 07-2010.xlsx`;
    const report = JSON.parse(
      sshub([
        "import",
        path,
        "--dry-run",
        "--json",
        "--header-row",
        "July 2010!4",
        "--column",
        "B=ignore",
      ]).stdout,
    ) as Report;
    expect(report.rememberedAnswers).not.toBeNull();
    expect(report.answers).toMatchObject({
      headerRow: { "July 2010": 4 },
      columns: {
        A: "service",
        B: "ignore",
        When: "financialYear",
        D: "amount",
      },
      measure: "FORECAST",
    });
  });

  it("refuses a bad --header-row or --column as a usage error naming it", () => {
    const bad = sshub([
      "import",
      `${dir}/layout 07-2010.xlsx`,
      "--column",
      "B=boss",
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(
      /--column "B=boss": "boss" is not a column role/,
    );
    const row = sshub([
      "import",
      `${dir}/layout 07-2010.xlsx`,
      "--header-row",
      "x",
    ]);
    expect(row.status).toBe(2);
    expect(row.stderr).toMatch(/--header-row "x" must be a row number/);
  });
});

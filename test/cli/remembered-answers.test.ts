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
  // The partnership and its services, from the samples.
  const setup = sshub(["import", ...sampleWorkbookPaths().slice(0, 2)]);
  expect(setup.status).toBe(0);
});

const sshub = (args: string[]) => runSshub(args, db.url);

/**
 * A monthly tracker that names neither its partnership, its measure nor its month (only its file
 * name does, as "06-2010", which the importer does not read by itself): every answer must be given.
 */
function tracker(
  file: string,
  header: string[],
  rows: (string | number | null)[][],
): SampleWorkbook {
  return {
    file,
    sheets: [
      {
        name: "Savings",
        title: [["Shared services savings"]],
        header,
        rows,
      },
    ],
  };
}
const HEADER = ["Council", "Workstream", "Financial year", "Amount (£)"];

interface Report {
  status: string;
  importRunId: number;
  reportingPeriod: string | null;
  rememberedAnswers: { importRunId: number; profileId: number } | null;
  savedProfile: { profileId: number; created: boolean } | null;
  answers: Record<string, unknown> | null;
}

async function figuresOf(runId: number) {
  return db.orm.em
    .getConnection()
    .execute<{ measure: string; reporting_period: string; amount: string }[]>(
      `select measure, reporting_period, amount from savings_figure where import_run_id = ? order by amount`,
      [runId],
    );
}

describe("answers remembered month to month", () => {
  let june: Report;

  it("a June tracker imported with --measure forecast (and its partnership and month) remembers the answers", async () => {
    const path = await writeTestWorkbook(
      dir,
      tracker("savings 06-2010.xlsx", HEADER, [
        [null, "Internal Audit", "2010/11", 1000],
      ]),
    );
    const result = sshub([
      "import",
      path,
      "--measure",
      "forecast",
      "--partnership",
      PARTNERSHIP,
      "--period",
      "2010-06",
    ]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/savings 06-2010.xlsx: IMPORTED/);
    expect(result.stdout).toMatch(
      /answers remembered for this workbook's layout as profile #1: partnership "Derbyshire RCE Shared Services", measure FORECAST, month in the file name as MM-YYYY/,
    );
    june = JSON.parse(
      sshub(["import", path, "--dry-run", "--json", "--no-remember"]).stdout,
    ) as Report;
    // Without the answers (--no-remember), the same file is refused for want of its measure.
    expect(june.status).toBe("REFUSED");
    const runs = await db.orm.em
      .getConnection()
      .execute<{ id: number }[]>(
        `select id from import_run where status = 'IMPORTED' and file_name = 'savings 06-2010.xlsx'`,
      );
    june.importRunId = runs[0]!.id;
    expect(await figuresOf(june.importRunId)).toEqual([
      { measure: "FORECAST", reporting_period: "2010-06", amount: "1000.00" },
    ]);
  });

  it("July's tracker of the same shape imports with no option, saying whose answers it used", async () => {
    const path = await writeTestWorkbook(
      dir,
      tracker("savings 07-2010.xlsx", HEADER, [
        [null, "Internal Audit", "2010/11", 1500],
        [null, "Procurement", "2010/11", 700],
      ]),
    );
    const result = sshub(["import", path]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /savings 07-2010.xlsx: IMPORTED — import run #\d+, period 2010-07 \(from the file name "savings 07-2010.xlsx" \(its month written MM-YYYY\)\)/,
    );
    expect(result.stdout).toContain(
      `used the answers remembered from import run #${june.importRunId} (June 2010)`,
    );
    // Nothing was given, so nothing new is remembered.
    expect(result.stdout).not.toMatch(/answers remembered for this/);
    const json = JSON.parse(
      sshub(["import", path, "--dry-run", "--json"]).stdout,
    ) as Report;
    expect(json.rememberedAnswers).toMatchObject({
      importRunId: june.importRunId,
      profileId: 1,
    });
    const july = await db.orm.em
      .getConnection()
      .execute<{ id: number }[]>(
        `select id from import_run where status = 'IMPORTED' and file_name = 'savings 07-2010.xlsx'`,
      );
    expect(await figuresOf(july[0]!.id)).toEqual([
      { measure: "FORECAST", reporting_period: "2010-07", amount: "700.00" },
      { measure: "FORECAST", reporting_period: "2010-07", amount: "1500.00" },
    ]);
  });

  it("an explicit option wins over the remembered one, the other remembered answers still apply", () => {
    const path = `${dir}/savings 07-2010.xlsx`;
    const json = JSON.parse(
      sshub(["import", path, "--dry-run", "--json", "--measure", "achieved"])
        .stdout,
    ) as Report;
    expect(json.status).toBe("DRY_RUN");
    expect(json.answers).toMatchObject({
      measure: "ACHIEVED",
      partnership: PARTNERSHIP,
    });
    expect(json.rememberedAnswers?.importRunId).toBe(june.importRunId);
    // A dry run remembers nothing.
    expect(json.savedProfile).toBeNull();
  });

  it("a tracker of another layout is not matched, and its refusal says --measure would answer it", async () => {
    const path = await writeTestWorkbook(
      dir,
      tracker(
        "other 07-2010.xlsx",
        ["Council", "Service", "Year", "Saving £"],
        [[null, "Internal Audit", "2010/11", 900]],
      ),
    );
    const result = sshub(["import", path, "--period", "2010-07"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/other 07-2010.xlsx: REFUSED/);
    expect(result.stdout).not.toMatch(/used the answers remembered/);
    expect(result.stdout).toMatch(/or import with --measure/);
  });

  it("sshub profiles lists, shows and forgets; a forgotten profile is no longer used", () => {
    const list = sshub(["profiles", "list"]);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(
        `#1  savings 06-2010.xlsx  from import run #${june.importRunId} \\(June 2010\\)  sheets: savings`,
      ),
    );
    const show = sshub(["profiles", "show", "1"]);
    expect(show.status).toBe(0);
    expect(show.stdout).toMatch(
      /savings: council \| workstream \| financial year \| amount \(£\)/,
    );
    expect(show.stdout).toMatch(/"measure":"FORECAST"/);
    expect(sshub(["profiles", "show", "99"]).status).toBe(1);
    const forget = sshub(["profiles", "forget", "1"]);
    expect(forget.stdout).toMatch(/Forgot profile #1/);
    const again = sshub(["import", `${dir}/savings 07-2010.xlsx`, "--dry-run"]);
    expect(again.status).toBe(1);
    expect(again.stdout).not.toMatch(/used the answers remembered/);
  });
});

/// <reference lib="dom" />
import ExcelJS from "exceljs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, startBrowserHub, type BrowserHub } from "./browser-hub.js";

let env: BrowserHub;
let folder: string;
beforeAll(async () => {
  env = await startBrowserHub();
  folder = await mkdtemp(join(tmpdir(), "sshub-answers-test-"));
});
afterAll(async () => {
  await env?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/**
 * A Bolsover claim that names no measure and no month (its file name writes the month as "06-2008",
 * which the importer does not read by itself): the page must ask for both.
 */
async function claimWithoutAnswers(
  name: string,
  rows: [string, string, string, string][],
): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Claims");
  sheet.addRow(["Bolsover District Council – savings from joint working"]);
  sheet.addRow(["Council", "Service area", "Financial year", "Saving"]);
  for (const row of rows) sheet.addRow(row);
  const path = join(folder, name);
  await workbook.xlsx.writeFile(path);
  return path;
}

describe("answers given in the import page", () => {
  it("asks for the measure and month after the dry run, imports with them, and next month's file of the same layout uses them unasked", async () => {
    const june = await claimWithoutAnswers("bolsover savings 06-2008.xlsx", [
      ["Bolsover DC", "Procurement", "2008/09", "£40,000"],
    ]);
    const july = await claimWithoutAnswers("bolsover savings 07-2008.xlsx", [
      ["Bolsover DC", "Procurement", "2008/09", "£45,000"],
      ["Bolsover DC", "Internal Audit", "2008/09", "£9,000"],
    ]);
    const { page, foreignRequests } = await env.newPage();
    await signIn(page, env.base, env.tokens.analyst);
    await page.getByRole("link", { name: "Import" }).first().click();
    await page.getByLabel(/Workbooks/).setInputFiles([june]);
    await page.getByRole("button", { name: "Check (dry run)" }).click();

    const juneCard = page.getByRole("article", {
      name: "bolsover savings 06-2008.xlsx",
    });
    const answers = juneCard.getByRole("form", {
      name: "Answers for this workbook",
    });
    await answers.waitFor();
    expect(
      await juneCard.getByRole("button", { name: /^Import/ }).count(),
    ).toBe(0);
    await answers.getByLabel(/Measure of its figures/).selectOption("achieved");
    await answers
      .getByLabel("Reporting month of this workbook")
      .fill("2008-06");
    await answers
      .getByRole("button", { name: "Check again with these answers" })
      .click();
    await juneCard.getByText("Dry run: nothing was written").waitFor();
    expect(await juneCard.getByTestId("import-report").innerText()).toMatch(
      /Reporting period June 2008/,
    );
    await juneCard
      .getByRole("button", { name: "Import bolsover savings 06-2008.xlsx" })
      .click();
    await juneCard.getByText("Imported", { exact: true }).waitFor();
    expect(
      await juneCard.getByTestId("remembered-answers").innerText(),
    ).toMatch(/remembered for this workbook's layout \(profile #\d+\)/);
    const juneRun = /Import run (\d+)/.exec(
      await juneCard.getByRole("link", { name: /Import run \d+/ }).innerText(),
    )![1];

    // Next month: the same layout, no answer given in the page.
    await page.getByLabel(/Workbooks/).setInputFiles([july]);
    await page.getByRole("button", { name: "Check (dry run)" }).click();
    const julyCard = page.getByRole("article", {
      name: "bolsover savings 07-2008.xlsx",
    });
    await julyCard.getByText("Dry run: nothing was written").waitFor();
    expect(await julyCard.getByTestId("remembered-answers").innerText()).toBe(
      `Used the answers remembered from import run #${juneRun} (June 2008).`,
    );
    expect(await julyCard.getByTestId("import-report").innerText()).toMatch(
      /Reporting period July 2008/,
    );
    await julyCard
      .getByRole("button", { name: "Import bolsover savings 07-2008.xlsx" })
      .click();
    await julyCard.getByText("Imported", { exact: true }).waitFor();
    const figures = await env.db.orm.em
      .getConnection()
      .execute<{ measure: string; reporting_period: string; amount: string }[]>(
        `select f.measure, f.reporting_period, f.amount from savings_figure f join import_run r on r.id = f.import_run_id
           where r.file_name = 'bolsover savings 07-2008.xlsx' order by f.amount`,
      );
    expect(figures).toEqual([
      { measure: "ACHIEVED", reporting_period: "2008-07", amount: "9000.00" },
      { measure: "ACHIEVED", reporting_period: "2008-07", amount: "45000.00" },
    ]);
    expect(foreignRequests).toEqual([]);
  });
});

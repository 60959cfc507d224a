/// <reference lib="dom" />
import ExcelJS from "exceljs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRIAL_WORKBOOKS } from "../../fixtures/trial-workbooks.js";
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

/**
 * A Bolsover tracker whose header (row 4) uses words the synonym table does not have: only "Claiming
 * council" is known, so no header row is found; the year is in the title, the month in the file name.
 */
async function trackerWithUnknownHeader(
  name: string,
  rows: [string, string, number][],
): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Joint working");
  sheet.addRow([
    "Bolsover District Council – savings achieved by joint working 2008/09",
  ]);
  sheet.addRow(["Prepared by the finance team"]);
  sheet.addRow([]);
  sheet.addRow(["Initiative", "Claiming council", "Achieved £"]);
  for (const row of rows) sheet.addRow(row);
  const path = join(folder, name);
  await workbook.xlsx.writeFile(path);
  return path;
}

/** Chooses `file` in the import page and waits for its card's dry run to end; the card. */
async function checkFile(page: Page, file: string): Promise<Locator> {
  await page.getByLabel(/Workbooks/).setInputFiles([file]);
  await page.getByRole("button", { name: "Check (dry run)" }).click();
  const card = page.getByRole("article", { name: file.split("/").pop() });
  await card.getByTestId("import-report").waitFor();
  return card;
}

/** The import run of the report a card shows now. */
async function shownRun(card: Locator): Promise<string> {
  return /Import run (\d+)/.exec(
    await card.getByRole("link", { name: /Import run \d+/ }).innerText(),
  )![1]!;
}

/** Presses "Check again with these answers" and waits for the new run's report and its status. */
async function checkAgain(card: Locator, status: RegExp): Promise<void> {
  const before = await shownRun(card);
  await card
    .getByRole("button", { name: "Check again with these answers" })
    .click();
  await card
    .getByRole("link", { name: `Import run ${before}`, exact: true })
    .waitFor({ state: "detached" });
  await card.getByTestId("import-report").getByText(status).waitFor();
}

/** The savings figures an import run of `file` wrote, smallest first. */
async function figuresOf(file: string) {
  return env.db.orm.em
    .getConnection()
    .execute<{ measure: string; reporting_period: string; amount: string }[]>(
      `select f.measure, f.reporting_period, f.amount from savings_figure f join import_run r on r.id = f.import_run_id
         where r.file_name = ? order by f.amount, f.council_id`,
      [file],
    );
}

describe("answers given in the import page", () => {
  it("offers the sheet's top rows to pick the header row from when none is found, then what the sheet is and its columns' roles; next month's file imports unasked", async () => {
    const june = await trackerWithUnknownHeader(
      "bolsover joint working 2008-06.xlsx",
      [["Procurement", "Bolsover DC", 41000]],
    );
    const july = await trackerWithUnknownHeader(
      "bolsover joint working 2008-07.xlsx",
      [
        ["Procurement", "Bolsover DC", 46000],
        ["Internal Audit", "Bolsover DC", 8500],
      ],
    );
    const { page, foreignRequests } = await env.newPage();
    await signIn(page, env.base, env.tokens.analyst);
    await page.getByRole("link", { name: "Import" }).first().click();
    const card = await checkFile(page, june);
    const answers = card.getByRole("form", {
      name: "Answers for this workbook",
    });
    // The refusal, by its sheet, and the question with the top rows as read.
    const refusal = card.getByRole("row", { name: /has no header row/ });
    expect(await refusal.innerText()).toMatch(/^Joint working\s+—\s+warning\s/);
    const question = answers.getByRole("group", {
      name: 'Which row of sheet "Joint working" holds the column headings?',
    });
    await question
      .getByRole("radio", {
        name: "Row 4: Initiative · Claiming council · Achieved £",
      })
      .check();
    await checkAgain(card, /Refused: nothing was written/);

    // With the header row: what the sheet is.
    await answers
      .getByLabel('What sheet "Joint working" hold')
      .selectOption("savings-long");
    await checkAgain(card, /Refused: nothing was written/);

    // With the kind: the roles of the columns it did not read, the ones it lacks first.
    await answers
      .getByLabel('Column "Initiative" (A4) is')
      .selectOption("service");
    await answers
      .getByLabel('Column "Achieved £" (C4) is')
      .selectOption("amount");
    await checkAgain(card, /Dry run: nothing was written/);
    await card
      .getByRole("button", { name: `Import ${june.split("/").pop()}` })
      .click();
    await card.getByText("Imported", { exact: true }).waitFor();
    expect(await card.getByTestId("remembered-answers").innerText()).toMatch(
      /remembered for this workbook's layout \(profile #\d+\)/,
    );
    const juneRun = await shownRun(card);

    const julyCard = await checkFile(page, july);
    expect(await julyCard.getByTestId("remembered-answers").innerText()).toBe(
      `Used the answers remembered from import run #${juneRun} (June 2008).`,
    );
    await julyCard
      .getByRole("button", { name: `Import ${july.split("/").pop()}` })
      .click();
    await julyCard.getByText("Imported", { exact: true }).waitFor();
    expect(await figuresOf(july.split("/").pop()!)).toEqual([
      { measure: "ACHIEVED", reporting_period: "2008-07", amount: "8500.00" },
      { measure: "ACHIEVED", reporting_period: "2008-07", amount: "46000.00" },
    ]);
    expect(foreignRequests).toEqual([]);
  });

  it("answers a finance system's export (t13) that lacks a service column with the column that holds it; next month's export imports unasked", async () => {
    const t13 = TRIAL_WORKBOOKS.find(
      (t) => t.file === "t13-finance-system-export.csv",
    )!;
    const april = join(folder, "finance export 2009-04.csv");
    const may = join(folder, "finance export 2009-05.csv");
    const bytes = await t13.bytes!();
    await writeFile(april, bytes);
    await writeFile(
      may,
      bytes
        .toString("utf8")
        .replace(/"10000\.00"/g, '"11000.00"')
        .replace('"387000.00"', '"390000.00"'),
    );
    const { page } = await env.newPage();
    await signIn(page, env.base, env.tokens.analyst);
    await page.getByRole("link", { name: "Import" }).first().click();
    const card = await checkFile(page, april);
    expect(await card.getByTestId("import-report").innerText()).toMatch(
      /without a service column: say which column holds it with --column/,
    );
    const answers = card.getByRole("form", {
      name: "Answers for this workbook",
    });
    await answers
      .getByLabel('Column "Cost Centre Description" (B1) is')
      .selectOption("service");
    await answers
      .getByLabel('Column "Cost Centre" (A1) is')
      .selectOption("ignore");
    await checkAgain(card, /Dry run: nothing was written/);
    await card
      .getByRole("button", { name: "Import finance export 2009-04.csv" })
      .click();
    await card.getByText("Imported", { exact: true }).waitFor();
    expect(await card.getByTestId("remembered-answers").innerText()).toMatch(
      /remembered for this workbook's layout/,
    );

    const mayCard = await checkFile(page, may);
    expect(await mayCard.getByTestId("remembered-answers").innerText()).toMatch(
      /^Used the answers remembered from import run #\d+ \(April 2009\)\.$/,
    );
    await mayCard
      .getByRole("button", { name: "Import finance export 2009-05.csv" })
      .click();
    await mayCard.getByText("Imported", { exact: true }).waitFor();
    const figures = await figuresOf("finance export 2009-05.csv");
    expect(figures.map((f) => f.amount)).toEqual([
      "11000.00",
      "11000.00",
      "11000.00",
      "119000.00",
      "119000.00",
      "119000.00",
    ]);
  });

  it("asks the partnership of a tracker naming a service no partnership of its council has; next month's file goes to the same partnership unasked", async () => {
    const tracker = (amount: number) =>
      `Council,Service,Financial year,Measure,Saving\r\nBromsgrove DC,Shared Lifeline Review,2010/11,Forecast,${amount}\r\n`;
    const june = join(folder, "bromsgrove lifeline 2010-06.csv");
    const july = join(folder, "bromsgrove lifeline 2010-07.csv");
    await writeFile(june, tracker(12000));
    await writeFile(july, tracker(12500));
    const { page } = await env.newPage();
    await signIn(page, env.base, env.tokens.analyst);
    await page.getByRole("link", { name: "Import" }).first().click();
    const card = await checkFile(page, june);
    expect(
      await card
        .getByRole("table", { name: "Problems, by sheet and cell" })
        .getByRole("row", { name: /Shared Lifeline Review/ })
        .innerText(),
    ).toMatch(
      /^bromsgrove lifeline 2010-06\s+B2\s+error\s+No partnership of this council/,
    );
    await card
      .getByRole("form", { name: "Answers for this workbook" })
      .getByLabel("Partnership of this workbook")
      .fill("Bromsgrove and Redditch Shared Services");
    await checkAgain(card, /Dry run: nothing was written/);
    await card
      .getByRole("button", { name: "Import bromsgrove lifeline 2010-06.csv" })
      .click();
    await card.getByText("Imported", { exact: true }).waitFor();

    const julyCard = await checkFile(page, july);
    expect(
      await julyCard.getByTestId("remembered-answers").innerText(),
    ).toMatch(
      /^Used the answers remembered from import run #\d+ \(June 2010\)\.$/,
    );
    await julyCard
      .getByRole("button", { name: "Import bromsgrove lifeline 2010-07.csv" })
      .click();
    await julyCard.getByText("Imported", { exact: true }).waitFor();
    const rows = await env.db.orm.em
      .getConnection()
      .execute<{ partnership: string; amount: string }[]>(
        `select p.name as partnership, f.amount from savings_figure f join import_run r on r.id = f.import_run_id
         join service s on s.id = f.service_id join partnership p on p.id = s.partnership_id
         where r.file_name = ?`,
        ["bromsgrove lifeline 2010-07.csv"],
      );
    expect(rows).toEqual([
      {
        partnership: "Bromsgrove and Redditch Shared Services",
        amount: "12500.00",
      },
    ]);
  });

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

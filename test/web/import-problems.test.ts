/// <reference lib="dom" />
import ExcelJS from "exceljs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, startBrowserHub, type BrowserHub } from "./browser-hub.js";
import { claimWorkbook } from "./claim-workbook.js";

// One hub (production mode) over its own database with the sample data, and one Chromium.
let env: BrowserHub;
let folder: string;
beforeAll(async () => {
  env = await startBrowserHub();
  folder = await mkdtemp(join(tmpdir(), "sshub-web-problems-"));
});
afterAll(async () => {
  await env?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe("the import page with a refused workbook", () => {
  it("a refused workbook → problems on the grid → corrected file → imported", async () => {
    const broken = await claimWorkbook(
      folder,
      "bolsover-claim-2008-08.xlsx",
      [
        ["Bolsover DC", "Procurement", "2008/09", "Actual", "fifty thousand"],
        ["Bolsover DC", "Internal Audit", "2008/09", "Actual", "£12,000"],
      ],
      "2008-08",
    );
    const { page, foreignRequests } = await env.newPage();
    await signIn(page, env.base, env.tokens.analyst);
    await page.getByRole("link", { name: "Import" }).first().click();
    await page.getByLabel(/Workbooks/).setInputFiles(broken);
    await page.getByRole("button", { name: "Check (dry run)" }).click();
    const card = page.getByRole("article", {
      name: "bolsover-claim-2008-08.xlsx",
    });
    await card.getByText("Refused: nothing was written").waitFor();

    // How the sheet was read: its header row, each column's role, where period, partnership and measure came from.
    const reading = card.getByTestId("sheet-reading-Claims");
    expect(await reading.getByRole("heading").innerText()).toBe(
      "Sheet Claims: Savings tracker, a figure per row, header in row 3",
    );
    const columns = reading.locator("table.columns tbody tr");
    expect(
      (await columns.allInnerTexts()).map((t) => t.replace(/\s+/g, " ")),
    ).toEqual([
      "A Council Council",
      "B Service area Service",
      "C Financial year Financial year",
      "D Type Measure",
      "E Saving Amount",
    ]);
    const facts = (await reading.locator("dl").innerText()).replace(
      /\s+/g,
      " ",
    );
    expect(facts).toMatch(/Reporting month August 2008, from .*A2/);
    expect(facts).toContain("Measure From each row's Type (D) column");
    expect(facts).toMatch(/Partnership From the sheet's title or name/);

    // The problem on the grid of the sheet: E4 highlighted, its message beside it, the cells around it as read.
    const grid = card.getByTestId("problem-grid-Claims");
    const e4 = grid.locator('td[data-cell="E4"]');
    expect(await e4.getAttribute("class")).toContain("problem-error");
    expect(await e4.innerText()).toMatch(/^fifty thousand\s*1$/);
    expect(await grid.locator('td[data-cell="B5"]').innerText()).toBe(
      "Internal Audit",
    );
    expect(await grid.locator('td[data-cell="E5"]').getAttribute("class")).toBe(
      null,
    );
    const message = grid.locator('li[data-cell="E4"]');
    expect(await message.innerText()).toMatch(
      /^E4: error: "fifty thousand" in E4 .*amount/,
    );
    // A screen reader hears the message with the cell.
    expect(await e4.getAttribute("aria-describedby")).toBe(
      await message.getAttribute("id"),
    );
    expect(await card.getByRole("button", { name: /^Import/ }).count()).toBe(0);

    // The refused file, downloaded with its problems marked.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      card
        .getByRole("button", {
          name: "Download bolsover-claim-2008-08.xlsx with its problems marked",
        })
        .click(),
    ]);
    expect(download.suggestedFilename()).toBe(
      "bolsover-claim-2008-08 - problems.xlsx",
    );
    const marked = join(folder, "marked.xlsx");
    await download.saveAs(marked);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(marked);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      "Import problems",
      "Claims",
    ]);
    const cell = workbook.getWorksheet("Claims")!.getCell("E4");
    expect(cell.value).toBe("fifty thousand");
    expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FFFFC7CE");
    expect(JSON.stringify(cell.note)).toContain("bad-amount");

    // Fixed where it is marked (the list of problems left in), saved under the file's own name, dropped in again.
    cell.value = 50000;
    await mkdir(join(folder, "corrected"));
    const corrected = join(folder, "corrected", "bolsover-claim-2008-08.xlsx");
    await workbook.xlsx.writeFile(corrected);
    await page.getByLabel(/Workbooks/).setInputFiles(corrected);
    await page.getByRole("button", { name: "Check (dry run)" }).click();
    const second = page
      .getByRole("article", { name: "bolsover-claim-2008-08.xlsx" })
      .nth(1);
    await second.getByText("Dry run: nothing was written").waitFor();
    expect(await second.getByTestId(/^problem-grid-/).count()).toBe(0);
    await second
      .getByRole("button", { name: "Import bolsover-claim-2008-08.xlsx" })
      .click();
    await second.getByText("Imported", { exact: true }).waitFor();
    const text = await second.getByTestId("import-report").innerText();
    expect(text).toMatch(/0 error\(s\)/);
    expect(text).toMatch(/Reporting period August 2008/);

    // The history by partnership and month: August has this run, who ran it, July has no tracker.
    await page.getByRole("link", { name: "History" }).first().click();
    await page.getByLabel("Twelve months up to").fill("2008-09");
    const calendar = page.getByTestId("import-calendar");
    const derbyshire = calendar.getByRole("row", {
      name: /Derbyshire RCE Shared Services/,
    });
    const august = derbyshire.locator('td[data-period="2008-08"]');
    await august.getByRole("link").first().waitFor();
    expect(await august.innerText()).toMatch(
      /bolsover-claim-2008-08\.xlsx\s*browser analyst\s*2 figure\(s\)/,
    );
    expect(
      await derbyshire.locator('td[data-period="2008-07"]').innerText(),
    ).toBe("No tracker");
    expect(
      await derbyshire
        .locator('td[data-period="2008-06"]')
        .getAttribute("class"),
    ).toBe("tracked");
    expect(
      await derbyshire
        .locator('td[data-period="2008-04"]')
        .getAttribute("class"),
    ).toBe("before");
    expect(await derbyshire.locator("th").innerText()).toMatch(
      /month\(s\) without a tracker/,
    );
    // The checks that wrote nothing, in their own row by month: August's refused check and its clean dry run.
    const checks = calendar.getByTestId("import-checks");
    const augustChecks = checks.locator('td[data-period="2008-08"] a');
    expect(
      (await augustChecks.allInnerTexts()).map((t) => t.replace(/\s+/g, " ")),
    ).toEqual([
      "Refused bolsover-claim-2008-08.xlsx browser analyst",
      "Dry run bolsover-claim-2008-08.xlsx browser analyst",
    ]);
    expect(await checks.locator('td[data-period="2008-07"]').innerText()).toBe(
      "",
    );
    // The wide calendar scrolls in its own box: the page is no wider than the window.
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(1280);

    // The run's page: its report (how the sheet was read), who ran it, and the figures it wrote with their cells.
    await august.getByRole("link", { name: /bolsover-claim-2008-08/ }).click();
    await page
      .getByRole("heading", { name: "bolsover-claim-2008-08.xlsx" })
      .waitFor();
    expect(await page.getByText("browser analyst").count()).toBeGreaterThan(0);
    await page.getByTestId("sheet-reading-Claims").waitFor();
    const written = page.getByTestId("run-figures");
    await written.waitFor();
    const rows = (await written.locator("tbody tr").allInnerTexts()).map((t) =>
      t.replace(/\s+/g, " ").trim(),
    );
    expect(rows).toEqual([
      "Claims!E4 Derbyshire RCE Shared Services Procurement Bolsover 2008/09 Achieved August 2008 £50,000.00",
      "Claims!E5 Derbyshire RCE Shared Services Internal Audit Bolsover 2008/09 Achieved August 2008 £12,000.00",
    ]);
    expect(foreignRequests).toEqual([]);
  });
});

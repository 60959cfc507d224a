/// <reference lib="dom" />
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { signIn, startBrowserHub, type BrowserHub } from "./browser-hub.js";
import { claimWorkbook } from "./claim-workbook.js";
import { PHONE } from "./page-width.js";

// The README's screenshots, taken by `npm run screenshots` (SSHUB_SCREENSHOTS=1): a tour of each main
// page over the sample data, through the real hub and Chromium, written to docs/screenshots/. Skipped
// in `npm test`: the browser tests beside it check these pages; this only photographs them.
const TAKING = process.env.SSHUB_SCREENSHOTS === "1";
const OUT = join(import.meta.dirname, "../../docs/screenshots");

let env: BrowserHub;
let folder: string;
beforeAll(async () => {
  if (!TAKING) return;
  env = await startBrowserHub();
  folder = await mkdtemp(join(tmpdir(), "sshub-screenshots-"));
});
afterAll(async () => {
  await env?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

const shoot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: join(OUT, `${name}.png`), fullPage });

describe.runIf(TAKING)("the README's screenshots", () => {
  it("photographs sign-in, browse, a council, a partnership's chart and GraphiQL", async () => {
    const { page } = await env.newPage();
    await page.goto(`${env.base}/`);
    await page.getByLabel("API token").waitFor();
    await shoot(page, "sign-in");
    await signIn(page, env.base, env.tokens.finance);
    await page.goto(`${env.base}/#/councils?q=District`);
    await page
      .getByRole("link", { name: "Bolsover District Council" })
      .waitFor();
    await shoot(page, "browse");
    await page.goto(`${env.base}/#/councils/E07000033`);
    await page.getByLabel("Financial year (achieved)").selectOption("2007/08");
    await page.getByTestId("council-position").waitFor();
    await shoot(page, "council");
    await page
      .getByRole("link", { name: "Derbyshire RCE Shared Services" })
      .first()
      .click();
    await page.getByRole("img", { name: /target against achieved/ }).waitFor();
    await shoot(page, "partnership", true);
    await page.goto(`${env.base}/graphql`);
    await page.locator(".monaco-editor").first().waitFor();
    await page.getByRole("button", { name: /execute query/i }).click();
    await page
      .locator(".graphiql-response")
      .getByText('"officialName"')
      .first()
      .waitFor();
    await shoot(page, "graphiql");
  });

  it("photographs reconciliation, at 1280 px and at a phone's width", async () => {
    const { page } = await env.newPage();
    await signIn(page, env.base, env.tokens.finance);
    for (const [width, name] of [
      [1280, "reconciliation"],
      [PHONE.width, "phone-reconciliation"],
    ] as const) {
      await page.setViewportSize({ width, height: PHONE.height });
      await page.goto(`${env.base}/#/reconciliation`);
      await page
        .getByLabel("Partnership")
        .selectOption({ label: "Derbyshire RCE Shared Services" });
      await page.getByLabel("Financial year").selectOption("2007/08");
      await page
        .getByTestId("reconciliation-lines")
        .locator("tr", { hasText: "Over claimed" })
        .first()
        .waitFor();
      await shoot(page, name);
    }
  });

  it("photographs an import: the dry run, the problem grid (also at a phone's width), the answers asked for, and the history", async () => {
    const good = await claimWorkbook(folder, "bolsover-claim-2008-07.xlsx", [
      ["Bolsover DC", "Procurement", "2008/09", "Actual", "£50,000"],
      ["Bolsover DC", "Internal Audit", "2008/09", "Actual", "£12,000"],
    ]);
    const bad = await claimWorkbook(
      folder,
      "bolsover-claim-2008-08.xlsx",
      [
        ["Bolsover DC", "Procurement", "2008/09", "Actual", "fifty thousand"],
        ["Bolsover DC", "Internal Audit", "2008/09", "Actual", "£12,000"],
      ],
      "2008-08",
    );
    const { page } = await env.newPage();
    await signIn(page, env.base, env.tokens.analyst);
    await page.getByRole("link", { name: "Import" }).first().click();
    await page.getByLabel(/Workbooks/).setInputFiles([good]);
    await page.getByRole("button", { name: "Check (dry run)" }).click();
    const goodCard = page.getByRole("article", {
      name: "bolsover-claim-2008-07.xlsx",
    });
    await goodCard.getByText("Dry run: nothing was written").waitFor();
    await shoot(page, "import-dry-run");
    await goodCard
      .getByRole("button", { name: "Import bolsover-claim-2008-07.xlsx" })
      .click();
    await goodCard.getByText("Imported", { exact: true }).waitFor();

    await page.getByLabel(/Workbooks/).setInputFiles([bad]);
    await page.getByRole("button", { name: "Check (dry run)" }).click();
    const badCard = page.getByRole("article", {
      name: "bolsover-claim-2008-08.xlsx",
    });
    await badCard.getByTestId("problem-grid-Claims").waitFor();
    await badCard.scrollIntoViewIfNeeded();
    await shoot(page, "import-problems-grid");
    await page.setViewportSize(PHONE);
    await badCard.getByTestId("problem-grid-Claims").scrollIntoViewIfNeeded();
    await shoot(page, "phone-import-problems-grid");
    await page.setViewportSize({ width: 1280, height: 800 });

    // A claim naming no measure and no month: the page asks.
    const unanswered = join(folder, "bolsover savings 06-2008.xlsx");
    {
      const ExcelJS = (await import("exceljs")).default;
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet("Claims");
      sheet.addRow(["Bolsover District Council – savings from joint working"]);
      sheet.addRow(["Council", "Service area", "Financial year", "Saving"]);
      sheet.addRow(["Bolsover DC", "Procurement", "2008/09", "£40,000"]);
      await workbook.xlsx.writeFile(unanswered);
    }
    await page.getByLabel(/Workbooks/).setInputFiles([unanswered]);
    await page.getByRole("button", { name: "Check (dry run)" }).click();
    const answers = page
      .getByRole("article", { name: "bolsover savings 06-2008.xlsx" })
      .getByRole("form", { name: "Answers for this workbook" });
    await answers.waitFor();
    await answers.scrollIntoViewIfNeeded();
    await shoot(page, "import-answers");

    await page.goto(`${env.base}/#/history?to=2008-09`);
    await page.getByTestId("import-calendar").waitFor();
    await page.getByTestId("import-history").waitFor();
    await shoot(page, "history-by-month", true);
    await page.setViewportSize(PHONE);
    await shoot(page, "phone-history");
  });
});

/// <reference lib="dom" />
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, startBrowserHub, type BrowserHub } from "./browser-hub.js";
import { claimWorkbook } from "./claim-workbook.js";
import { PHONE, widerThanWindow } from "./page-width.js";

// The main pages at a phone's width (390 × 844): nothing reaches past the window unless it is in a
// box that scrolls by itself, and the controls a person needs are inside the window.
let env: BrowserHub;
let folder: string;
beforeAll(async () => {
  env = await startBrowserHub();
  folder = await mkdtemp(join(tmpdir(), "sshub-web-phone-"));
});
afterAll(async () => {
  await env?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function phonePage(token: string): Promise<Page> {
  const { page } = await env.newPage();
  await page.setViewportSize(PHONE);
  await signIn(page, env.base, token);
  return page;
}

/** Whether `locator` is wholly inside the window's width (it may be further down the page). */
async function inWindowWidth(locator: Locator): Promise<boolean> {
  const box = (await locator.boundingBox())!;
  return box.x >= 0 && box.x + box.width <= PHONE.width + 0.5;
}

/** Whether the element scrolls sideways by itself (its content is wider than its box). */
const scrollsInItsBox = (locator: Locator) =>
  locator.evaluate((e) => e.scrollWidth > e.clientWidth + 1);

describe("the main pages at a phone's width", () => {
  it("shows a refused workbook's problem grid in its own scrolling box, the messages below it, and the controls in the window", async () => {
    const broken = await claimWorkbook(
      folder,
      "bolsover-claim-2008-08.xlsx",
      [
        ["Bolsover DC", "Procurement", "2008/09", "Actual", "fifty thousand"],
        ["Bolsover DC", "Internal Audit", "2008/09", "Actual", "£12,000"],
      ],
      "2008-08",
    );
    const page = await phonePage(env.tokens.analyst);
    await page.getByRole("link", { name: "Import" }).first().click();
    const check = page.getByRole("button", { name: "Check (dry run)" });
    expect(await inWindowWidth(check)).toBe(true);
    await page.getByLabel(/Workbooks/).setInputFiles(broken);
    await check.click();
    const card = page.getByRole("article", {
      name: "bolsover-claim-2008-08.xlsx",
    });
    await card.getByText("Refused: nothing was written").waitFor();
    const grid = card.getByTestId("problem-grid-Claims");
    await grid.locator('td[data-cell="E4"]').waitFor({ state: "attached" });
    expect(await widerThanWindow(page)).toEqual([]);
    const gridBox = grid.locator(".table-wrap").first();
    expect(await inWindowWidth(gridBox)).toBe(true);
    const message = grid.locator('li[data-cell="E4"]');
    expect(await inWindowWidth(message)).toBe(true);
    // At this width the messages go below the grid, not beside it.
    expect((await message.boundingBox())!.y).toBeGreaterThan(
      (await gridBox.boundingBox())!.y + (await gridBox.boundingBox())!.height,
    );
    // The problem cell is reachable: scrolled into view inside the grid's box.
    await grid.locator('td[data-cell="E4"]').scrollIntoViewIfNeeded();
    expect(await inWindowWidth(grid.locator('td[data-cell="E4"]'))).toBe(true);
    expect(
      await inWindowWidth(
        card.getByRole("button", { name: /with its problems marked/ }),
      ),
    ).toBe(true);
    expect(await widerThanWindow(page)).toEqual([]);
  });

  it("shows the History month calendar scrolling in its own box, with the month picker and the filter in the window", async () => {
    const page = await phonePage(env.tokens.analyst);
    await page.goto(`${env.base}/#/history?to=2008-09`);
    const calendar = page.getByTestId("import-calendar");
    await calendar.waitFor();
    await page.getByTestId("import-history").waitFor();
    expect(await widerThanWindow(page)).toEqual([]);
    expect(
      await scrollsInItsBox(page.locator(".table-wrap", { has: calendar })),
    ).toBe(true);
    expect(await inWindowWidth(page.getByLabel("Twelve months up to"))).toBe(
      true,
    );
    expect(await inWindowWidth(page.getByLabel("Show"))).toBe(true);
    // The partnership's name (the row heading) can be read without scrolling sideways.
    expect(
      await inWindowWidth(
        calendar
          .getByRole("rowheader", { name: /Derbyshire RCE Shared Services/ })
          .first(),
      ),
    ).toBe(true);
  });

  it("shows reconciliation with its controls in the window and the wide table scrolling in its box", async () => {
    const page = await phonePage(env.tokens.finance);
    await page.getByRole("link", { name: "Reconciliation" }).first().click();
    await page
      .getByLabel("Partnership")
      .selectOption({ label: "Derbyshire RCE Shared Services" });
    await page.getByLabel("Financial year").selectOption("2007/08");
    const table = page.getByTestId("reconciliation-lines");
    await table.locator("tr", { hasText: "Over claimed" }).first().waitFor();
    expect(await widerThanWindow(page)).toEqual([]);
    for (const label of ["Partnership", "Financial year"])
      expect(await inWindowWidth(page.getByLabel(label))).toBe(true);
    expect(
      await inWindowWidth(
        page.getByRole("button", { name: /Download the workbook/ }),
      ),
    ).toBe(true);
    expect(
      await scrollsInItsBox(page.locator(".table-wrap", { has: table })),
    ).toBe(true);
  });

  it("browses councils, a council, a partnership with its chart and a governance body within the window", async () => {
    const page = await phonePage(env.tokens.finance);
    await page
      .getByRole("link", { name: "Councils", exact: true })
      .first()
      .click();
    const search = page.getByLabel("Search councils");
    await search.fill("Bolsover");
    await page
      .getByRole("link", { name: "Bolsover District Council" })
      .waitFor();
    expect(await inWindowWidth(search)).toBe(true);
    expect(await widerThanWindow(page)).toEqual([]);
    await page.getByRole("link", { name: "Bolsover District Council" }).click();
    await page
      .getByRole("heading", { name: "Bolsover District Council" })
      .waitFor();
    await page.getByLabel("Financial year (achieved)").selectOption("2007/08");
    await page.getByTestId("council-position").waitFor();
    expect(await widerThanWindow(page)).toEqual([]);
    await page
      .getByRole("link", { name: "Derbyshire RCE Shared Services" })
      .first()
      .click();
    const chart = page.getByRole("img", { name: /target against achieved/ });
    await chart.waitFor();
    expect(await widerThanWindow(page)).toEqual([]);
    expect(await inWindowWidth(page.locator(".chart").first())).toBe(true);
    await page.goto(`${env.base}/#/governance`);
    await page.getByLabel("Search governance bodies").fill("Joint Committee");
    await page
      .getByRole("link", { name: /Joint Committee/ })
      .first()
      .click();
    await page.getByRole("heading", { name: "Seats" }).waitFor();
    expect(await widerThanWindow(page)).toEqual([]);
  });
});

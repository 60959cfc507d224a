/// <reference lib="dom" />
import ExcelJS from "exceljs";
import { createRequire } from "node:module";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, startBrowserHub, type BrowserHub } from "./browser-hub.js";
import { claimWorkbook } from "./claim-workbook.js";

// axe-core (Deque's accessibility engine) run inside the page on each main page: labels, names,
// roles, landmarks, ARIA, contrast (WCAG 2.1 A and AA rules). Focus order and keyboard use are
// checked by pressing Tab and keys, as a person would.
let env: BrowserHub;
let folder: string;
let axeSource: string;
beforeAll(async () => {
  env = await startBrowserHub();
  folder = await mkdtemp(join(tmpdir(), "sshub-web-a11y-"));
  axeSource = await readFile(
    createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
    "utf8",
  );
});
afterAll(async () => {
  await env?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

interface Violation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe's WCAG 2.1 A/AA violations on the page as it is now, each as "rule: help (elements)". Run
 * through the DevTools protocol (page.evaluate), which the page's Content-Security-Policy does not
 * govern, so the hub's policy stays as it is.
 */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
            options: object,
          ): Promise<{ violations: Violation[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
      },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.map(
    (v) =>
      `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
}

/** The elements Tab reaches, in order, from the top of the page: each as its tag and text or label. */
async function tabOrder(
  page: Page,
  stops: number,
): Promise<{ name: string; top: number; outline: string }[]> {
  // A fresh load: sequential focus starts at the top of the document.
  await page.reload();
  await page.waitForLoadState("networkidle");
  const order = [];
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press("Tab");
    order.push(
      await page.evaluate(() => {
        const e = document.activeElement as HTMLElement;
        const label =
          e.getAttribute("aria-label") ??
          (e.id
            ? document.querySelector(`label[for="${e.id}"]`)?.textContent
            : null) ??
          e.textContent?.trim().slice(0, 40) ??
          "";
        return {
          name: `${e.tagName.toLowerCase()} ${label}`,
          top: e.getBoundingClientRect().top + window.scrollY,
          outline: getComputedStyle(e).outlineStyle,
        };
      }),
    );
  }
  return order;
}

describe("accessibility of the main pages", () => {
  it("has no axe violations on sign-in, browse, a council, a partnership with its chart, and a governance body", async () => {
    const { page } = await env.newPage();
    await page.goto(`${env.base}/`);
    await page.getByLabel("API token").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await signIn(page, env.base, env.tokens.finance);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${env.base}/#/councils?q=Bolsover`);
    await page
      .getByRole("link", { name: "Bolsover District Council" })
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "Bolsover District Council" }).click();
    await page.getByLabel("Financial year (achieved)").selectOption("2007/08");
    await page.getByTestId("council-position").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page
      .getByRole("link", { name: "Derbyshire RCE Shared Services" })
      .first()
      .click();
    await page.getByRole("img", { name: /target against achieved/ }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${env.base}/#/governance?q=Joint`);
    await page
      .getByRole("link", { name: /Joint Committee/ })
      .first()
      .click();
    await page.getByRole("heading", { name: "Seats" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it("has no axe violations on the import report with its problem grid, the history and reconciliation", async () => {
    const broken = await claimWorkbook(
      folder,
      "bolsover-claim-2008-08.xlsx",
      [["Bolsover DC", "Procurement", "2008/09", "Actual", "fifty thousand"]],
      "2008-08",
    );
    const { page } = await env.newPage();
    await signIn(page, env.base, env.tokens.analyst);
    await page.getByRole("link", { name: "Import" }).first().click();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel(/Workbooks/).setInputFiles(broken);
    await page.getByRole("button", { name: "Check (dry run)" }).click();
    await page.getByTestId("problem-grid-Claims").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${env.base}/#/history?to=2008-09`);
    await page.getByTestId("import-calendar").waitFor();
    await page.getByTestId("import-history").waitFor();
    expect(await axeViolations(page)).toEqual([]);

    const finance = await env.newPage();
    await signIn(finance.page, env.base, env.tokens.finance);
    await finance.page.goto(`${env.base}/#/reconciliation`);
    await finance.page
      .getByLabel("Partnership")
      .selectOption({ label: "Derbyshire RCE Shared Services" });
    await finance.page.getByLabel("Financial year").selectOption("2007/08");
    await finance.page
      .getByTestId("reconciliation-lines")
      .locator("tr", { hasText: "Over claimed" })
      .first()
      .waitFor();
    expect(await axeViolations(finance.page)).toEqual([]);
  });

  it("has no axe violations on the answers offered after a refusal, and picks the header row and a column's role from the keyboard", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Joint working");
    sheet.addRow(["Bolsover District Council – savings achieved 2008/09"]);
    sheet.addRow([]);
    sheet.addRow(["Initiative", "Claiming council", "Achieved £"]);
    sheet.addRow(["Procurement", "Bolsover DC", 1000]);
    const path = join(folder, "bolsover initiatives 2008-05.xlsx");
    await workbook.xlsx.writeFile(path);
    const { page } = await env.newPage();
    await signIn(page, env.base, env.tokens.analyst);
    await page.getByRole("link", { name: "Import" }).first().click();
    await page.getByLabel(/Workbooks/).setInputFiles(path);
    await page.getByRole("button", { name: "Check (dry run)" }).click();
    const answers = page.getByRole("form", {
      name: "Answers for this workbook",
    });
    const rows = answers.getByRole("group", {
      name: 'Which row of sheet "Joint working" holds the column headings?',
    });
    await rows.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    // One Tab stop for the group; the arrow keys move the choice, as in any radio group.
    await rows.getByRole("radio", { name: /^Row 1:/ }).focus();
    await page.keyboard.press("Space");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(
      await rows
        .getByRole("radio", {
          name: "Row 3: Initiative · Claiming council · Achieved £",
        })
        .isChecked(),
    ).toBe(true);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      "Check again with these answers",
    );
    await page.keyboard.press("Enter");
    const kind = answers.getByLabel('What sheet "Joint working" hold');
    await kind.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await kind.focus();
    await kind.selectOption("savings-long");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    const column = answers.getByLabel('Column "Initiative" (A3) is');
    await column.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await column.selectOption("service");
    expect(await column.inputValue()).toBe("service");
  });

  it("moves focus top to bottom with a visible ring, and works the reconciliation form and the history filters from the keyboard", async () => {
    const { page } = await env.newPage();
    await signIn(page, env.base, env.tokens.finance);
    await page.goto(`${env.base}/#/reconciliation`);
    await page.getByLabel("Partnership").waitFor();
    const order = await tabOrder(page, 18);
    expect(order.map((o) => o.name).slice(0, 3)).toEqual([
      "a Skip to content",
      "a Shared Services Hub",
      "a Home",
    ]);
    // Reading order: no stop is above the one before it, and every stop shows the focus ring.
    const header = order.findIndex((o) => o.name.startsWith("select"));
    expect(header, JSON.stringify(order)).toBeGreaterThan(0);
    for (let i = header + 1; i < order.length; i++)
      expect(order[i]!.top, order[i]!.name).toBeGreaterThanOrEqual(
        order[i - 1]!.top,
      );
    expect(order.filter((o) => o.outline === "none")).toEqual([]);

    // The form from the keyboard: focus the partnership, pick with the arrow keys, the table follows.
    await page.getByLabel("Partnership").focus();
    await page.keyboard.press("ArrowDown");
    await page.getByLabel("Financial year").focus();
    await page.keyboard.press("ArrowDown");
    await page.getByTestId("reconciliation-lines").waitFor();

    // History: the run filter changed by keys keeps the month picked (Chromium's own month field).
    await page.goto(`${env.base}/#/history`);
    await page.getByLabel("Twelve months up to").fill("2008-09");
    await page.waitForURL(/to=2008-09/);
    await page.getByLabel("Show").focus();
    await page.keyboard.press("ArrowDown");
    await page.waitForURL(/status=IMPORTED/);
    expect(page.url()).toMatch(/to=2008-09/);
  });
});

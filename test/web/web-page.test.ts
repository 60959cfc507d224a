/// <reference lib="dom" />
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  HEADER_ROW,
  LINE_HEADERS,
} from "../../reconcile/reconciliation-workbook.js";
import { openWorkbook } from "../reconcile/open-workbook.js";
import { createToken } from "../../server/auth/token-service.js";
import { operatorCaller } from "../../server/caller.js";
import { ApiToken } from "../../schema/api-token.js";
import { Role } from "../../schema/role.js";
import type { Page } from "playwright-core";
import { signIn, startBrowserHub, type BrowserHub } from "./browser-hub.js";
import { claimWorkbook as claimWorkbookIn } from "./claim-workbook.js";

// One hub (production mode: tokens required), one database with the sample data and one Chromium
// for every test of the page; each test gets its own browser context (its own session storage).
let env: BrowserHub;
let folder: string;
beforeAll(async () => {
  env = await startBrowserHub();
  folder = await mkdtemp(join(tmpdir(), "sshub-web-test-"));
});
afterAll(async () => {
  await env?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** A claim tracker in this file's folder (claim-workbook.ts). */
const claimWorkbook = (
  name: string,
  rows: [string, string, string, string, string][],
) => claimWorkbookIn(folder, name, rows);

/** Opens the reconciliation page on the sample's Derbyshire partnership for 2007/08 (its over-claim). */
async function openDerbyshireReconciliation(page: Page): Promise<void> {
  await page.getByRole("link", { name: "Reconciliation" }).first().click();
  await page
    .getByLabel("Partnership")
    .selectOption({ label: "Derbyshire RCE Shared Services" });
  await page.getByLabel("Financial year").selectOption("2007/08");
}

describe("the web page", () => {
  it("signs in with a token, shows who you are, and browses councils, partnerships, services and governance both ways", async () => {
    const { page, foreignRequests } = await env.newPage();
    await page.goto(`${env.base}/`);
    await expect
      .poll(() => page.getByRole("heading", { name: "Sign in" }).count())
      .toBe(1);
    await page.getByLabel("API token").fill("sshub_1_not-a-real-secret");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toMatch(
      /not a Shared Services Hub token.*Sign in again/,
    );

    await signIn(page, env.base, env.tokens.viewer);
    expect(await page.getByTestId("viewer-name").textContent()).toBe(
      "browser viewer",
    );
    expect(await page.getByTestId("viewer-role").textContent()).toBe("viewer");

    await page
      .getByRole("link", { name: "Councils", exact: true })
      .first()
      .click();
    await page.getByLabel("Search councils").fill("Bolsover");
    await page.waitForURL(/#\/councils\?q=Bolsover/);
    await page.getByRole("link", { name: "Bolsover District Council" }).click();
    await page.waitForURL(/#\/councils\/E07000033/);
    await page
      .getByRole("heading", { name: "Bolsover District Council" })
      .waitFor();

    // Council → partnership → its member council (back the other way) and a service → its host.
    await page
      .getByRole("link", { name: "Derbyshire RCE Shared Services" })
      .click();
    await page
      .getByRole("heading", { name: "Derbyshire RCE Shared Services" })
      .waitFor();
    const partnershipUrl = page.url();
    expect(await page.getByRole("link", { name: "Bolsover" }).count()).toBe(1);
    await page.getByRole("link", { name: "Procurement" }).first().click();
    await page.getByRole("heading", { name: "Procurement" }).waitFor();
    expect(
      await page
        .getByRole("link", { name: "Derbyshire RCE Shared Services" })
        .count(),
    ).toBe(1);

    // Every page has an address: a new tab opened on it shows the same page.
    const second = await env.newPage();
    await signIn(second.page, env.base, env.tokens.viewer);
    await second.page.goto(partnershipUrl);
    await second.page
      .getByRole("heading", { name: "Derbyshire RCE Shared Services" })
      .waitFor();

    await page.goto(`${env.base}/#/governance`);
    await page.getByLabel("Search governance bodies").fill("Joint Committee");
    await page.waitForURL(/#\/governance\?q=Joint/);
    await page
      .getByRole("link", { name: /Joint Committee/ })
      .first()
      .click();
    await page.getByRole("heading", { name: "Seats" }).waitFor();
    await page.getByRole("link", { name: "Cheshire East" }).click();
    await page
      .getByRole("heading", { name: "Cheshire East Council" })
      .waitFor();
    expect([...foreignRequests, ...second.foreignRequests]).toEqual([]);
  });

  it("sends a signed-in person whose token expires back to sign-in, saying what happened and what to do", async () => {
    const { token } = await createToken(env.db.orm.em.fork(), {
      name: "browser expiring",
      role: Role.VIEWER,
      councils: [],
      expires: "1h",
      createdBy: operatorCaller(),
    });
    const { page } = await env.newPage();
    await signIn(page, env.base, token);
    await env.db.orm.em
      .fork()
      .nativeUpdate(
        ApiToken,
        { name: "browser expiring" },
        { expiresAt: new Date(Date.now() - 60_000) },
      );
    await page
      .getByRole("link", { name: "Councils", exact: true })
      .first()
      .click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getByRole("alert").textContent()).toMatch(
      /The token "browser expiring" expired on .*Sign in again with a valid token/,
    );
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it("loads GraphiQL from the hub alone, with the committed schema's docs and the README's examples, and runs a query with the token", async () => {
    const { page, foreignRequests } = await env.newPage();
    const hosts = new Set<string>();
    page.on("request", (request) => hosts.add(new URL(request.url()).host));
    await signIn(page, env.base, env.tokens.viewer);
    await page.goto(`${env.base}/graphql`);
    await page.getByRole("tab", { name: /CouncilPage/ }).waitFor();
    await page.locator(".monaco-editor").first().waitFor();
    // The docs come from the committed schema: production has introspection off.
    await page.getByRole("button", { name: /documentation explorer/i }).click();
    await page
      .locator(".graphiql-doc-explorer")
      .getByText("Viewer", { exact: true })
      .click();
    await page
      .getByText("Who is calling: the token's name and role", { exact: false })
      .first()
      .waitFor();
    await page.getByRole("button", { name: /execute query/i }).click();
    await page
      .locator(".graphiql-response")
      .getByText('"officialName"')
      .first()
      .waitFor();
    expect(foreignRequests).toEqual([]);
    expect([...hosts].filter((h) => h !== new URL(env.base).host)).toEqual([]);
  });

  it("shows finance the sample over-claim with its source, and downloads the same figures as a workbook", async () => {
    const { page, foreignRequests } = await env.newPage();
    await signIn(page, env.base, env.tokens.finance);
    await openDerbyshireReconciliation(page);
    const table = page.getByTestId("reconciliation-lines");
    const over = table
      .locator("tr", { hasText: "Bolsover" })
      .filter({ hasText: "Procurement" });
    await over.first().waitFor();
    const text = (await over.first().innerText()).replace(/\s+/g, " ");
    expect(text).toContain("£357,000.00");
    expect(text).toContain("33.3333% equal");
    expect(text).toContain("£119,000.00");
    expect(text).toContain("£150,000.00");
    expect(text).toContain("£31,000.00");
    expect(text).toContain("Over claimed");
    expect(await over.first().locator("td.over").count()).toBe(1);
    const source = over.first().getByRole("link", {
      name: /13-bolsover-claim-2008-06\.xlsx · Claims!E5/,
    });
    expect(await source.count(), text).toBe(1);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: /Download the workbook/ }).click(),
    ]);
    const saved = join(folder, "reconciliation.xlsx");
    await download.saveAs(saved);
    const workbook = await openWorkbook(await readFile(saved));
    const sheet = workbook.getWorksheet("Derbyshire RCE Shared Services")!;
    const col = (title: (typeof LINE_HEADERS)[number]) =>
      LINE_HEADERS.indexOf(title) + 1;
    const found = [];
    for (let r = HEADER_ROW + 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      if (
        row.getCell(col("GSS code")).value === "E07000033" &&
        row.getCell(col("Service")).value === "Procurement" &&
        row.getCell(col("Kind")).value === "Cashable"
      )
        found.push([
          row.getCell(col("Expected share")).value,
          row.getCell(col("Claimed")).value,
          row.getCell(col("Status")).value,
        ]);
    }
    expect(found).toEqual([[119000, 150000, "OVER_CLAIMED"]]);

    await source.click();
    await page
      .getByRole("heading", { name: "13-bolsover-claim-2008-06.xlsx" })
      .waitFor();
    expect(foreignRequests).toEqual([]);
  });

  it("says under the download button why the hub refused the workbook, and saves nothing", async () => {
    const { token } = await createToken(env.db.orm.em.fork(), {
      name: "browser finance demoted",
      role: Role.FINANCE,
      councils: [],
      createdBy: operatorCaller(),
    });
    const { page } = await env.newPage();
    await signIn(page, env.base, token);
    await openDerbyshireReconciliation(page);
    await page.getByTestId("reconciliation-lines").waitFor();
    // The token loses the finance role while the page is open: the export refuses it (403, not a
    // refused token: the page stays).
    await env.db.orm.em
      .fork()
      .nativeUpdate(
        ApiToken,
        { name: "browser finance demoted" },
        { role: Role.VIEWER },
      );
    const downloads: unknown[] = [];
    page.on("download", (d) => downloads.push(d));
    const button = page.getByRole("button", { name: /Download the workbook/ });
    await button.click();
    const alert = page.locator("p", { has: button }).getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      "This needs a token with the finance role or above. Your token's role does not allow this; ask an admin for a token with the role it needs.",
    );
    expect(await button.isEnabled()).toBe(true);
    expect(downloads).toEqual([]);
  });

  it("shows finance a council's position across its partnerships, and a partnership's savings by year as a chart", async () => {
    const { page, foreignRequests } = await env.newPage();
    await signIn(page, env.base, env.tokens.finance);
    await page.goto(`${env.base}/#/councils/E07000033`);
    await page.getByLabel("Financial year (achieved)").selectOption("2007/08");
    const totals = page.getByTestId("council-position");
    await totals.waitFor();
    const cashable = (
      await totals.getByRole("row", { name: /^Cashable/ }).innerText()
    ).replace(/\s+/g, " ");
    // Bolsover's share of 2007/08 cashable totals, beside its claims (the £31,000 over-claim among them).
    expect(cashable).toMatch(/£\d{1,3}(,\d{3})*\.\d\d/);
    const line = page
      .locator("tr", { hasText: "Procurement" })
      .filter({ hasText: "Over claimed" });
    expect((await line.first().innerText()).replace(/\s+/g, " ")).toContain(
      "£119,000.00 £150,000.00 £31,000.00",
    );
    await page
      .getByRole("link", { name: "Derbyshire RCE Shared Services" })
      .first()
      .click();
    await page
      .getByRole("heading", { name: "Savings by financial year" })
      .waitFor();
    const chart = page.getByRole("img", { name: /target against achieved/ });
    expect(await chart.getAttribute("aria-label")).toContain("2007/08: target");
    expect(foreignRequests).toEqual([]);
  });

  it("works from the keyboard at a phone's width: skip link first, sign-in with Enter, wide tables scroll in their own box", async () => {
    const { page, foreignRequests } = await env.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${env.base}/`);
    await page.getByLabel("API token").waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      "Skip to content",
    );
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(
      await page.getByLabel("API token").getAttribute("id"),
    );
    await page.keyboard.type(env.tokens.finance);
    await page.keyboard.press("Enter");
    await page.getByTestId("viewer-role").waitFor();
    await openDerbyshireReconciliation(page);
    await page.getByTestId("reconciliation-lines").waitFor();
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      table: document.querySelector("[data-testid=reconciliation-lines]")!
        .scrollWidth,
    }));
    expect(widths.page).toBeLessThanOrEqual(390);
    expect(widths.table).toBeGreaterThan(390);
    expect(foreignRequests).toEqual([]);
  });

  it("shows a viewer no import or reconciliation controls, and the server refuses the viewer's import anyway", async () => {
    const { page } = await env.newPage();
    await signIn(page, env.base, env.tokens.viewer);
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Import" }).count()).toBe(0);
    expect(
      await nav.getByRole("link", { name: "Reconciliation" }).count(),
    ).toBe(0);
    await page.goto(`${env.base}/#/import`);
    await page.getByRole("alert").waitFor();
    expect(await page.locator("input[type=file]").count()).toBe(0);
    const answer = await page.evaluate(async () => {
      const form = new FormData();
      form.set("dryRun", "true");
      form.set("file", new Blob(["not a workbook"]), "claims.xlsx");
      const response = await fetch("/imports", {
        method: "POST",
        headers: {
          authorization: `Bearer ${sessionStorage.getItem("sshub.token")}`,
        },
        body: form,
      });
      return {
        status: response.status,
        body: (await response.json()) as {
          errors: { extensions: { code: string } }[];
        },
      };
    });
    expect(answer.status).toBe(403);
    expect(answer.body.errors[0]!.extensions.code).toBe("FORBIDDEN");
  });

  it("checks an analyst's workbooks with a dry run, shows a refused one's problems by cell, imports the clean one and lists it in the history", async () => {
    const good = await claimWorkbook("bolsover-claim-2008-07.xlsx", [
      ["Bolsover DC", "Procurement", "2008/09", "Actual", "£50,000"],
      ["Bolsover DC", "Internal Audit", "2008/09", "Actual", "£12,000"],
    ]);
    const bad = await claimWorkbook("bolsover-claim-broken.xlsx", [
      ["Bolsover DC", "Procurement", "2008/09", "Actual", "fifty thousand"],
    ]);
    const { page, foreignRequests } = await env.newPage();
    await signIn(page, env.base, env.tokens.analyst);
    await page.getByRole("link", { name: "Import" }).first().click();
    await page.getByLabel(/Workbooks/).setInputFiles([good, bad]);
    await page.getByRole("button", { name: "Check (dry run)" }).click();

    const goodCard = page.getByRole("article", {
      name: "bolsover-claim-2008-07.xlsx",
    });
    const badCard = page.getByRole("article", {
      name: "bolsover-claim-broken.xlsx",
    });
    await goodCard.getByText("Dry run: nothing was written").waitFor();
    expect(await goodCard.getByTestId("import-report").innerText()).toMatch(
      /Reporting period July 2008 \(from [^)]+\)/,
    );
    expect(
      await goodCard.getByRole("row", { name: /Claims/ }).innerText(),
    ).toMatch(/2/);
    await badCard
      .getByText(/Refused|errors?\b/)
      .first()
      .waitFor();
    const problem = badCard.locator("table.problems tr.error").first();
    await problem.waitFor();
    expect(await problem.innerText()).toMatch(/E4/);
    expect(await badCard.getByRole("button", { name: /^Import/ }).count()).toBe(
      0,
    );

    await goodCard
      .getByRole("button", { name: "Import bolsover-claim-2008-07.xlsx" })
      .click();
    await goodCard.getByText("Imported", { exact: true }).waitFor();
    await goodCard.getByRole("link", { name: /Import run \d+/ }).click();
    await page
      .getByRole("heading", { name: "bolsover-claim-2008-07.xlsx" })
      .waitFor();

    await page.getByRole("link", { name: "History" }).first().click();
    const history = page.getByTestId("import-history");
    const row = history
      .locator("tr", { hasText: "bolsover-claim-2008-07.xlsx" })
      .filter({ hasText: "Imported" });
    await row.first().waitFor();
    expect(await row.first().innerText()).toContain("July 2008");
    expect(await row.first().innerText()).toContain("browser analyst");
    expect(foreignRequests).toEqual([]);
  });

  it("keeps History's month and run filter in the address together, and the back button steps back through them", async () => {
    const { page } = await env.newPage();
    await signIn(page, env.base, env.tokens.analyst);
    await page.goto(`${env.base}/#/history`);
    const month = page.getByLabel("Twelve months up to");
    const filter = page.getByLabel("Show");
    await page.getByTestId("import-calendar").waitFor();
    await month.fill("2008-09");
    await page.waitForURL(/#\/history\?to=2008-09$/);
    await filter.selectOption("REFUSED");
    await page.waitForURL(/#\/history\?to=2008-09&status=REFUSED$/);
    expect(await month.inputValue()).toBe("2008-09");
    await month.fill("2008-07");
    await page.waitForURL(/#\/history\?to=2008-07&status=REFUSED$/);
    expect(await filter.inputValue()).toBe("REFUSED");
    // The address alone brings both back in a new tab.
    const other = await env.newPage();
    await signIn(other.page, env.base, env.tokens.analyst);
    await other.page.goto(page.url());
    await other.page.getByTestId("import-calendar").waitFor();
    expect(
      await other.page.getByLabel("Twelve months up to").inputValue(),
    ).toBe("2008-07");
    expect(await other.page.getByLabel("Show").inputValue()).toBe("REFUSED");
    await page.goBack();
    await page.waitForURL(/#\/history\?to=2008-09&status=REFUSED$/);
    expect(await month.inputValue()).toBe("2008-09");
    await page.goBack();
    await page.waitForURL(/#\/history\?to=2008-09$/);
    expect(await filter.inputValue()).toBe("");
    expect(await month.inputValue()).toBe("2008-09");
  });
});

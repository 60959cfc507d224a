import {
  chromium,
  type Browser,
  type BrowserContext,
  type Page,
} from "playwright-core";
import { importSampleData } from "../../importers/import-sample-data.js";
import { operatorCaller } from "../../server/caller.js";
import { createToken } from "../../server/auth/token-service.js";
import { startHub, type RunningHub } from "../../server/start-hub.js";
import { Role } from "../../schema/role.js";
import { openTestQueue } from "../support/import-jobs.js";
import {
  createTestDatabase,
  type TestDatabase,
} from "../support/test-database.js";

/** Debian's Chromium: browsers cannot be downloaded here, and `.ci/run` installs this package. */
export const CHROMIUM = "/usr/bin/chromium";

/** The real hub (production mode: tokens required) on a free port over a test database with the sample data, and a real Chromium. */
export interface BrowserHub {
  db: TestDatabase;
  hub: RunningHub;
  /** `http://127.0.0.1:<port>`. */
  base: string;
  browser: Browser;
  /** A token of each role, national. */
  tokens: Record<"viewer" | "analyst" | "finance", string>;
  /** A fresh browser context (its own session storage) with a page; hosts other than the hub's are counted in `foreignRequests`. */
  newPage(): Promise<{
    context: BrowserContext;
    page: Page;
    foreignRequests: string[];
  }>;
  close(): Promise<void>;
}

/** Starts everything a browser test needs; `close()` stops it all. */
export async function startBrowserHub(): Promise<BrowserHub> {
  const db = await createTestDatabase();
  await importSampleData(db.orm, () => undefined);
  const tokens = {} as BrowserHub["tokens"];
  for (const role of ["viewer", "analyst", "finance"] as const) {
    const { token } = await createToken(db.orm.em.fork(), {
      name: `browser ${role}`,
      role: role.toUpperCase() as Role,
      councils: [],
      createdBy: operatorCaller(),
    });
    tokens[role] = token;
  }
  // Uploads are queued and imported by a worker, as under `sshub start`.
  const importQueue = await openTestQueue(db.orm);
  const hub = await startHub({
    orm: db.orm,
    port: 0,
    host: "127.0.0.1",
    production: true,
    log: () => undefined,
    importQueue,
  });
  const base = hub.pageUrl.replace(/\/$/, "");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    // Playwright gives every launch a fresh temporary --user-data-dir of its own (and refuses one passed in).
  });
  const contexts: BrowserContext[] = [];
  return {
    db,
    hub,
    base,
    browser,
    tokens,
    async newPage() {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        acceptDownloads: true,
      });
      contexts.push(context);
      const foreignRequests: string[] = [];
      // Every request is checked: one for any other origin fails the test (and is not sent).
      const foreign = (url: string) =>
        !url.startsWith(`${base}/`) &&
        !url.startsWith("blob:") &&
        !url.startsWith("data:");
      context.on("request", (request) => {
        if (foreign(request.url())) foreignRequests.push(request.url());
      });
      await context.route("**/*", (route) =>
        foreign(route.request().url()) ? route.abort() : route.continue(),
      );
      const page = await context.newPage();
      return { context, page, foreignRequests };
    },
    async close() {
      for (const context of contexts)
        await context.close().catch(() => undefined);
      await browser.close();
      await hub.stop();
      await importQueue.stop();
      await db.drop();
    },
  };
}

/** Signs `page` in with `token` through the sign-in form. */
export async function signIn(
  page: Page,
  base: string,
  token: string,
): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("viewer-role").waitFor();
}

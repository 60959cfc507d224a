import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { get, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimiter } from "../../server/auth/rate-limiter.js";
import { WebSite } from "../../server/web-site.js";
import { startTestHttp, type TestHttp } from "../support/http.js";
import { useTestDatabase } from "../support/test-database.js";

// The web page is built by `npm run build` (pretest), into web/dist.
const BUILD = join(import.meta.dirname, "../../web/dist");

const db = useTestDatabase();
let http: TestHttp;
let site: WebSite;
beforeAll(async () => {
  site = await WebSite.load(BUILD);
  http = await startTestHttp(db.orm, { webSite: site });
});
afterAll(async () => {
  await http?.close();
});

/** A file's headers and body as sent (node:http, not fetch: fetch would unzip on its own). */
function bytesOnTheWire(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) =>
    get(`${http.base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ headers: res.headers, body: Buffer.concat(chunks) }),
      );
    }).on("error", reject),
  );
}

describe("the web page's files", () => {
  it("serves the page at / revalidated on every load, with a policy allowing only the hub's origin", async () => {
    const response = await fetch(`${http.base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toMatch(/https?:/);
    expect(await response.text()).toContain('<div id="root">');
  });

  it("caches content-hashed assets for a year and sends them gzipped when asked", async () => {
    const assets = await readdir(join(BUILD, "assets"));
    const script = assets.find((name) => name.endsWith(".js"))!;
    const { headers, body } = await bytesOnTheWire(`/assets/${script}`, {
      "accept-encoding": "gzip",
    });
    expect(headers["cache-control"]).toBe(
      "public, max-age=31536000, immutable",
    );
    expect(headers["content-type"]).toContain("text/javascript");
    expect(headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(body)).toEqual(
      await readFile(join(BUILD, "assets", script)),
    );
  });

  it("sends a compressed file as it is on disk to a client that does not ask for gzip", async () => {
    const assets = await readdir(join(BUILD, "assets"));
    const script = assets.find((name) => name.endsWith(".js"))!;
    const { headers, body } = await bytesOnTheWire(`/assets/${script}`);
    expect(headers["content-encoding"]).toBeUndefined();
    expect(body).toEqual(await readFile(join(BUILD, "assets", script)));
    expect(headers["content-length"]).toBe(String(body.length));
  });

  it("gives browsers GraphiQL at /graphql and leaves JSON GETs and POSTs to the API", async () => {
    const page = await fetch(`${http.base}/graphql`, {
      headers: { accept: "text/html,application/xhtml+xml" },
    });
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("GraphQL IDE");
    const get = await fetch(
      `${http.base}/graphql?query=${encodeURIComponent('{ council(code: "E07000033") { shortName } }')}`,
      {
        headers: {
          accept: "application/json",
          "apollo-require-preflight": "1",
        },
      },
    );
    expect(await get.json()).toEqual({
      data: { council: { shortName: "Bolsover" } },
    });
    const post = await fetch(`${http.base}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "text/html, application/json",
      },
      body: JSON.stringify({ query: "{ viewer { role anonymous } }" }),
    });
    expect(await post.json()).toEqual({
      data: { viewer: { role: "VIEWER", anonymous: true } },
    });
  });

  it("answers paths outside the build as before (404 JSON), never with a file from elsewhere", async () => {
    for (const path of [
      "/nope.js",
      "/assets/../package.json",
      "/%2e%2e/package.json",
    ]) {
      const response = await fetch(`${http.base}${path}`);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toContain(
        "application/json",
      );
    }
  });
});

describe("without the web page", () => {
  it("serves no Apollo landing page from a CDN at /graphql", async () => {
    const bare = await startTestHttp(db.orm);
    try {
      const response = await fetch(`${bare.base}/graphql`, {
        headers: { accept: "text/html" },
      });
      const body = await response.text();
      expect(response.headers.get("content-type") ?? "").not.toContain(
        "text/html",
      );
      expect(body).not.toMatch(/apollographql|cdn\./i);
    } finally {
      await bare.close();
    }
  });

  it("says how to build it when web/dist is missing", async () => {
    const empty = await mkdtemp(join(tmpdir(), "sshub-web-"));
    const bare = await startTestHttp(db.orm, {
      webSite: await WebSite.load(empty),
    });
    try {
      const response = await fetch(`${bare.base}/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain("npm run build");
    } finally {
      await bare.close();
      await rm(empty, { recursive: true, force: true });
    }
  });

  it("rate limits the page's files per client address like anonymous API requests", async () => {
    const limited = await startTestHttp(db.orm, {
      webSite: site,
      rateLimiter: RateLimiter.inDatabase(db.orm, 2),
    });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await fetch(`${limited.base}/`)).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});

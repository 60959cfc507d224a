import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { findProjectRoot } from "../db/project-root.js";

/** Where `npm run build` (vite, see web/vite.config.ts) writes the web page. */
export const WEB_BUILD_DIR = "web/dist";

/**
 * What the page may load: only the hub's own origin. Monaco (GraphiQL's editor) starts its language
 * workers from same-origin files and sets inline styles on the editor, hence `worker-src 'self' blob:`
 * and `style-src 'unsafe-inline'`; fonts and icons come from the bundle (some as data: URLs).
 */
export const WEB_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ttf": "font/ttf",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

const COMPRESSIBLE = new Set([".html", ".js", ".css", ".svg", ".json", ".map"]);

interface WebFile {
  /** The file's bytes, gzipped when `gzipped`. */
  bytes: Buffer;
  /**
   * Compressible files are kept gzipped only: every browser asks for gzip, and keeping the plain
   * bytes too held ~7 MB more in memory for the whole process (Monaco's bundle); a client that does
   * not ask for gzip gets them unzipped on the way out.
   */
  gzipped: boolean;
  type: string;
  /** Content-hashed (under assets/): cached for a year, never revalidated. */
  immutable: boolean;
}

/** The built web page, read into memory at start: only these files are ever served. */
export class WebSite {
  private constructor(
    private readonly files: ReadonlyMap<string, WebFile>,
    /** Null when the page was never built; every page request then says how to build it. */
    readonly folder: string | null,
  ) {}

  /** Reads `folder` (default: the project's web/dist); a missing build gives a site that explains itself. */
  static async load(folder?: string): Promise<WebSite> {
    const dir =
      folder ??
      join(
        findProjectRoot(fileURLToPath(new URL(".", import.meta.url))),
        WEB_BUILD_DIR,
      );
    if (!existsSync(join(dir, "index.html")))
      return new WebSite(new Map(), null);
    const files = new Map<string, WebFile>();
    for (const entry of await readdir(dir, {
      recursive: true,
      withFileTypes: true,
    })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      const urlPath = "/" + relative(dir, path).split(sep).join("/");
      const ext = extname(path);
      const bytes = await readFile(path);
      // Monaco's bundle is megabytes; compressing once at start keeps every load small.
      const gzipped = COMPRESSIBLE.has(ext);
      files.set(urlPath, {
        bytes: gzipped ? gzipSync(bytes) : bytes,
        gzipped,
        type: CONTENT_TYPES[ext] ?? "application/octet-stream",
        immutable: urlPath.startsWith("/assets/"),
      });
    }
    return new WebSite(files, dir);
  }

  /**
   * The file a request asks for, or null when the request is not for the page: `/` and files of the
   * build by GET or HEAD, and `/graphql` when a browser navigates there (it accepts text/html), which
   * gets the GraphQL IDE. POSTs and JSON GETs of `/graphql` stay with the API.
   */
  fileFor(req: IncomingMessage, url: URL): string | null {
    if (req.method !== "GET" && req.method !== "HEAD") return null;
    if (url.pathname === "/") return "/index.html";
    if (url.pathname === "/graphql")
      return (req.headers.accept ?? "").includes("text/html")
        ? "/graphiql.html"
        : null;
    if (this.files.has(url.pathname)) return url.pathname;
    return null;
  }

  /** Answers with `path` (from `fileFor`), with its caching and security headers. */
  send(req: IncomingMessage, res: ServerResponse, path: string): void {
    res.setHeader("content-security-policy", WEB_CONTENT_SECURITY_POLICY);
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("referrer-policy", "no-referrer");
    const file = this.files.get(path);
    if (!file) {
      res.statusCode = 503;
      res.setHeader("content-type", "text/plain; charset=utf-8");
      res.setHeader("cache-control", "no-store");
      res.end(
        "The web page has not been built: run `npm run build` (npm install does it), then start the hub again.\n",
      );
      return;
    }
    res.statusCode = 200;
    res.setHeader("content-type", file.type);
    // Hashed assets never change under their name; pages are revalidated so a new build shows at once.
    res.setHeader(
      "cache-control",
      file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
    );
    res.setHeader("vary", "accept, accept-encoding");
    const gzip =
      file.gzipped &&
      /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gzip || !file.gzipped ? file.bytes : gunzipSync(file.bytes);
    if (gzip) res.setHeader("content-encoding", "gzip");
    res.setHeader("content-length", String(body.length));
    res.end(req.method === "HEAD" ? undefined : body);
  }
}

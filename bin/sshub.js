#!/usr/bin/env -S node --max-semi-space-size=16
// Thin launcher: the CLI is TypeScript compiled to dist/ by `npm install` (prepare) or `npm run build`.
// --max-semi-space-size=16 (also in package.json's scripts): V8 otherwise grows the young generation
// to 64 MB and more under an import's allocation rate, most of a million-row import's peak memory.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error(
    "sshub is not built yet: run `npm install` (or `npm run build`) in the project folder first.",
  );
  process.exit(2);
}
await import(entry.href);

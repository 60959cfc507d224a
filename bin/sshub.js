#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript compiled to dist/ by `npm install` (prepare) or `npm run build`.
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

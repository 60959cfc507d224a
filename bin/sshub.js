#!/usr/bin/env -S node --max-semi-space-size=16 --heap-growing-percent=100
// Thin launcher: the CLI is TypeScript compiled to dist/ by `npm install` (prepare) or `npm run build`.
// The V8 flags (also in package.json's scripts, bench/sshub-node-flags.ts and docs/deploy/):
// --max-semi-space-size=16: V8 otherwise grows the young generation to 64 MB and more under an
// import's allocation rate, most of a million-row import's peak memory.
// --heap-growing-percent=100: between full collections the old generation grows to at most twice
// what the last one left live; V8's own factor reaches 4 under a busy hub's allocation rate, and the
// peak resident memory is that high-water mark (bench:graphql: 327 MB -> 227 MB, gql-node's note).
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

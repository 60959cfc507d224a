import { availableParallelism } from "node:os";
import swc from "unplugin-swc";
import { defineConfig } from "vitest/config";

// SWC emits the decorator metadata that esbuild (vitest's default transform) drops.
export default defineConfig({
  plugins: [swc.vite({ module: { type: "es6" } })],
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // One file more than there are cores, not vitest's one fewer (a single file at a time on CI's two
    // cores): a file spends much of its time waiting on PostgreSQL, a child process or Chromium (one
    // at a time used 0.6 of a core), and every file has its own database.
    maxWorkers: availableParallelism() + 1,
    server: { deps: { inline: ["type-graphql"] } },
  },
  resolve: {
    alias: { graphql: "graphql/index.js" },
  },
});

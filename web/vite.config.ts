import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Two pages: the web page (index.html) and the GraphQL IDE (graphiql.html), which alone loads Monaco.
// Everything is bundled into web/dist (served by server/web-site.ts); nothing is loaded from a CDN.
export default defineConfig({
  root: here("."),
  base: "/",
  logLevel: "warn",
  build: {
    outDir: here("dist"),
    emptyOutDir: true,
    // Monaco and GraphiQL are large by nature; the hub serves them gzipped and cached for a year.
    chunkSizeWarningLimit: 6000,
    rollupOptions: {
      input: { index: here("index.html"), graphiql: here("graphiql.html") },
      // GraphiQL's React components start with "use client", which means nothing outside a server
      // framework; the bundler's note about dropping it is noise.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
  worker: { format: "es" },
});

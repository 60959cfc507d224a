import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { printHubSchema } from "./print-schema.js";

// `npm run schema:print`: rewrites schema/schema.graphql, which front-end teams generate clients from.
const target = fileURLToPath(
  new URL("../../schema/schema.graphql", import.meta.url),
);
writeFileSync(target, await printHubSchema());
console.log(`Wrote ${target}`);

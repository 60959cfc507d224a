import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { printHubSchema } from "../../server/print-schema.js";

it("the committed schema/schema.graphql matches the API (run `npm run schema:print` after changing it)", async () => {
  const committed = readFileSync(
    new URL("../../schema/schema.graphql", import.meta.url),
    "utf8",
  );
  expect(await printHubSchema()).toBe(committed);
});

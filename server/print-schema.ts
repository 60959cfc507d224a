import { lexicographicSortSchema, printSchema } from "graphql";
import { buildHubSchema } from "./build-schema.js";

/** The API's SDL, sorted so that the committed `schema/schema.graphql` diffs cleanly. */
export async function printHubSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildHubSchema()))}\n`;
}

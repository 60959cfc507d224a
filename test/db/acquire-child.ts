// Run by embedded-postgres.test.ts as a second real process: acquires the data folder given as
// argv[2], prints the URL's port, waits for a line on stdin, then releases and exits.
import { createInterface } from "node:readline";

import { acquireEmbeddedDatabase } from "../../db/embedded-postgres.js";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: acquire-child.ts <dataDir>");
const handle = await acquireEmbeddedDatabase({ dataDir });
console.log(
  JSON.stringify({ port: Number(new URL(handle.url).port), pid: process.pid }),
);
const lines = createInterface({ input: process.stdin });
for await (const _line of lines) break;
await handle.release();
console.log(JSON.stringify({ released: true }));

import "reflect-metadata";
import { openOrm } from "../../db/open-orm.js";
import { startHub } from "../../server/start-hub.js";
import { countStatements, serveBenchChild } from "./bench-child.js";
import {
  BENCH_POOL_IDLE_TIMEOUT_MS,
  BENCH_POOL_SIZE,
} from "./bench-queries.js";

// The hub of `npm run bench:graphql`, in its own process (started with the flags bin/sshub.js
// uses), as production serves it: tokens checked, errors masked; the rate limit is off
// (SSHUB_RATE_LIMIT=0 from the runner) because the load generator sends thousands a minute.
countStatements();
const orm = await openOrm(process.env.BENCH_DATABASE_URL!, {
  pool: {
    min: 2,
    max: BENCH_POOL_SIZE,
    idleTimeoutMillis: BENCH_POOL_IDLE_TIMEOUT_MS,
  },
});
const hub = await startHub({
  orm,
  port: 0,
  host: "127.0.0.1",
  production: true,
  // autocannon closes its connections with requests under way at the end of each run; the hub logs
  // each as an aborted request, which says nothing about the hub.
  log: (line) => {
    if (!line.includes("Error: aborted")) process.stderr.write(`${line}\n`);
  },
});
serveBenchChild(hub.url, async () => {
  await hub.stop();
  await orm.close();
});

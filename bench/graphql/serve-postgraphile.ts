import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import {
  countStatements,
  listenOnLoopback,
  serveBenchChild,
} from "./bench-child.js";
import {
  BENCH_POOL_IDLE_TIMEOUT_MS,
  BENCH_POOL_SIZE,
} from "./bench-queries.js";

// The peer of `npm run bench:graphql`: PostGraphile 5 (amber preset, simplified inflection) serving
// the bench database's public schema through grafserv on node:http, in its own process.
countStatements();
const pgl = postgraphile({
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.BENCH_DATABASE_URL!,
      schemas: ["public"],
      poolConfig: {
        max: BENCH_POOL_SIZE,
        idleTimeoutMillis: BENCH_POOL_IDLE_TIMEOUT_MS,
      },
    }),
  ],
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
});
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server);
// Builds the schema before the runner's first request.
await pgl.getSchema();
serveBenchChild(await listenOnLoopback(server, "/graphql"), async () => {
  server.close();
  await pgl.release();
});

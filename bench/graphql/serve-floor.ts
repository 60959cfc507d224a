import { createServer } from "node:http";
import pg from "pg";
import {
  countStatements,
  listenOnLoopback,
  serveBenchChild,
} from "./bench-child.js";
import {
  BENCH_POOL_IDLE_TIMEOUT_MS,
  BENCH_POOL_SIZE,
  benchQueries,
  type BenchIds,
} from "./bench-queries.js";

// The floor of `npm run bench:graphql`: each request's hand-written SQL statement behind the least
// HTTP server there is (node:http, one statement, PostgreSQL's JSON sent as it comes), so the
// floor pays for HTTP like the two GraphQL servers do. POST /<request index>.
countStatements();
const queries = benchQueries(JSON.parse(process.env.BENCH_IDS!) as BenchIds);
const pool = new pg.Pool({
  connectionString: process.env.BENCH_DATABASE_URL!,
  max: BENCH_POOL_SIZE,
  idleTimeoutMillis: BENCH_POOL_IDLE_TIMEOUT_MS,
});
const server = createServer((req, res) => {
  const query = queries[Number(req.url!.slice(1))];
  req.resume();
  req.on("end", () => {
    if (!query) {
      res.writeHead(404).end();
      return;
    }
    pool
      .query<{
        body: string;
      }>(`select (${query.floorSql})::text as body`, query.floorParams)
      .then(
        ({ rows }) => {
          res
            .writeHead(200, { "content-type": "application/json" })
            .end(rows[0]!.body);
        },
        (error: Error) => res.writeHead(500).end(error.message),
      );
  });
});
serveBenchChild(await listenOnLoopback(server, "/"), async () => {
  server.close();
  await pool.end();
});

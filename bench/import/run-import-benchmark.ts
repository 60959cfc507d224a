import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findProjectRoot } from "../../db/project-root.js";
import { ensureDatabase, openDatabase } from "../../db/database-url.js";
import { loadCouncilRegister } from "../../db/load-council-register.js";
import { migrate, openOrm } from "../../db/open-orm.js";
import { CouncilRegister } from "../../register/resolve-council.js";
import { SSHUB_NODE_FLAGS } from "../sshub-node-flags.js";
import { writeLongTracker } from "./write-long-tracker.js";

// `npm run bench:import [-- 100000 1000000]`: generates long savings trackers (kept in bench/out/),
// then measures, each in its own process, the bare exceljs streaming read, the whole import into a
// fresh database (DATABASE_URL's server, or an embedded one in a temporary folder) and the identical
// re-import, three times each.
const root = findProjectRoot(fileURLToPath(new URL(".", import.meta.url)));
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const outDir = join(root, "bench", "out");
mkdirSync(outDir, { recursive: true });
const dataDir = process.env.DATABASE_URL
  ? undefined
  : mkdtempSync(join(tmpdir(), "sshub-bench-"));
const handle = await openDatabase({
  ...(dataDir ? { dataDir } : {}),
  log: () => undefined,
});
const phase = join(root, "dist", "bench", "import", "bench-phase.js");
const RUNS = 3;

interface Phase {
  rows: number;
  ms: number;
  maxRssMb: number;
  status: string;
  peak?: { heapTotal: number; external: number };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function summarise(runs: Phase[]) {
  const times = runs.map((r) => r.ms).sort((a, b) => a - b);
  return {
    ms: times[Math.floor(times.length / 2)]!,
    rss: Math.round(Math.max(...runs.map((r) => r.maxRssMb))),
    heap: Math.round(Math.max(...runs.map((r) => r.peak?.heapTotal ?? 0))),
    external: Math.round(Math.max(...runs.map((r) => r.peak?.external ?? 0))),
    status: runs[0]!.status,
  };
}
const results: string[] = [];
try {
  for (const rows of sizes.length ? sizes : [100_000, 1_000_000]) {
    const file = join(outDir, `long-tracker-${rows}.xlsx`);
    try {
      statSync(file);
    } catch {
      const t = performance.now();
      await writeLongTracker(file, rows);
      console.error(
        `generated ${file} in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
    }
    const freshDatabase = async (run: number) => {
      const url = await ensureDatabase(
        handle.url,
        `sshub_bench_${rows}_${Date.now()}_${run}`,
      );
      const orm = await openOrm(url);
      await migrate(orm);
      await loadCouncilRegister(
        orm.em.fork(),
        CouncilRegister.default().records,
      );
      await orm.close();
      return url;
    };
    const run = (what: string, url?: string) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          // The import runs with the flags `sshub` runs with (bin/sshub.js); the bare read with none.
          [...(what === "import" ? SSHUB_NODE_FLAGS : []), phase, what, file],
          {
            env: { ...process.env, ...(url ? { DATABASE_URL: url } : {}) },
            encoding: "utf8",
            maxBuffer: 1 << 20,
          },
        )
          .trim()
          .split("\n")
          .at(-1)!,
      ) as Phase;
    // Three runs of each (times vary from run to run on a shared machine): the median time, the
    // highest peak.
    const reads: Phase[] = [];
    const imports: Phase[] = [];
    const again: Phase[] = [];
    for (let i = 0; i < RUNS; i++) {
      reads.push(run("read"));
      const url = await freshDatabase(i);
      imports.push(run("import", url));
      again.push(run("import", url));
    }
    const read = summarise(reads);
    const first = summarise(imports);
    const second = summarise(again);
    const mb = (statSync(file).size / 1024 / 1024).toFixed(1);
    const line =
      `${rows.toLocaleString("en-GB")} rows (${mb} MB), median of ${RUNS}: bare exceljs streaming read ${seconds(read.ms)}, peak RSS ${read.rss} MB | ` +
      `import ${seconds(first.ms)} (${(first.ms / read.ms).toFixed(2)}x the read), ${Math.round(rows / (first.ms / 1000)).toLocaleString("en-GB")} rows/s, peak RSS ${first.rss} MB (main heap ${first.heap} MB, outside it ${first.external} MB) [${first.status}] | ` +
      `identical re-import ${seconds(second.ms)}, peak RSS ${second.rss} MB [${second.status}]`;
    console.log(line);
    results.push(line);
  }
} finally {
  await handle.release();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

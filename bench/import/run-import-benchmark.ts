import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findProjectRoot } from "../../db/project-root.js";
import { ensureDatabase, openDatabase } from "../../db/database-url.js";
import { loadCouncilRegister } from "../../db/load-council-register.js";
import { migrate, openOrm } from "../../db/open-orm.js";
import { CouncilRegister } from "../../register/resolve-council.js";
import { SSHUB_NODE_FLAGS } from "../sshub-node-flags.js";
import {
  writeLongTracker,
  writeLongTrackerCsv,
  writeLongTrackerXls,
} from "./write-long-tracker.js";

// `npm run bench:import [-- 100000 1000000] [csv xls xlsx]`: generates long savings trackers (kept in bench/out/),
// then measures, each in its own process, the bare read, the whole import into a fresh database
// (DATABASE_URL's server, or an embedded one in a temporary folder) and the identical re-import,
// three times each: the .xlsx trackers (of the sizes given) beside the bare exceljs streaming read,
// and the same tracker of 100,000 rows as CSV beside a bare csv-parse stream and as .xls beside
// the hub's BIFF8 reader alone (and SheetJS reading it whole, for scale).
const root = findProjectRoot(fileURLToPath(new URL(".", import.meta.url)));
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
// Words among the arguments ("csv", "xls", "xlsx") keep only those formats: `-- csv xls`.
const only = process.argv.slice(2).filter((a) => /^[a-z]+$/.test(a));
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
  const cases: {
    rows: number;
    file: string;
    write: (path: string, rows: number) => Promise<void> | void;
    /** The bare reads it is set beside: bench-phase's phase and its name in the table. */
    bare: { phase: string; name: string }[];
  }[] = [
    ...(sizes.length ? sizes : [100_000, 1_000_000]).map((rows) => ({
      rows,
      file: join(outDir, `long-tracker-${rows}.xlsx`),
      write: writeLongTracker,
      bare: [{ phase: "read", name: "bare exceljs streaming read" }],
    })),
    {
      rows: 100_000,
      file: join(outDir, "long-tracker-100000.csv"),
      write: writeLongTrackerCsv,
      bare: [{ phase: "read-csv", name: "bare csv-parse stream" }],
    },
    {
      rows: 100_000,
      file: join(outDir, "long-tracker-100000.xls"),
      write: writeLongTrackerXls,
      bare: [
        { phase: "read-xls", name: "the hub's .xls reader alone" },
        { phase: "read-xls-sheetjs", name: "SheetJS whole-workbook read" },
      ],
    },
  ];
  for (const { rows, file, write, bare } of cases.filter(
    (c) => only.length === 0 || only.includes(extname(c.file).slice(1)),
  )) {
    try {
      statSync(file);
    } catch {
      const t = performance.now();
      await write(file, rows);
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
    const reads: Phase[][] = bare.map(() => []);
    const imports: Phase[] = [];
    const again: Phase[] = [];
    for (let i = 0; i < RUNS; i++) {
      bare.forEach((b, j) => reads[j]!.push(run(b.phase)));
      const url = await freshDatabase(i);
      imports.push(run("import", url));
      again.push(run("import", url));
    }
    const read = summarise(reads[0]!);
    const first = summarise(imports);
    const second = summarise(again);
    const mb = (statSync(file).size / 1024 / 1024).toFixed(1);
    const others = bare
      .slice(1)
      .map((b, j) => {
        const other = summarise(reads[j + 1]!);
        return `${b.name} ${seconds(other.ms)}, peak RSS ${other.rss} MB | `;
      })
      .join("");
    const line =
      `${rows.toLocaleString("en-GB")} rows ${extname(file)} (${mb} MB), median of ${RUNS}: ${bare[0]!.name} ${seconds(read.ms)}, peak RSS ${read.rss} MB | ${others}` +
      `import ${seconds(first.ms)} (${(first.ms / read.ms).toFixed(2)}x the read), ${Math.round(rows / (first.ms / 1000)).toLocaleString("en-GB")} rows/s, peak RSS ${first.rss} MB (main heap ${first.heap} MB, outside it ${first.external} MB) [${first.status}] | ` +
      `identical re-import ${seconds(second.ms)}, peak RSS ${second.rss} MB [${second.status}]`;
    console.log(line);
    results.push(line);
  }
} finally {
  await handle.release();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

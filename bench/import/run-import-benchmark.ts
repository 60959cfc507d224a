import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { basename, extname, join } from "node:path";
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
// (DATABASE_URL's server, or an embedded one in a temporary folder) and the identical re-import, in
// three rounds alternated between the formats: the .xlsx trackers (of the sizes given) beside the
// bare exceljs streaming read, and the same tracker of 100,000 rows as CSV beside a bare csv-parse
// stream and as .xls beside the hub's BIFF8 reader alone (and SheetJS reading it whole, for scale).
// Prints one table: each format beside its bare reader, medians, and the load average.
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
  /** The phase's process's CPU time (all threads), without PostgreSQL's. */
  cpuMs: number;
  status: string;
  peak?: { heapTotal: number; external: number };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
/** The machine's 1-minute load average, as `uptime` gives it. */
const load = () => loadavg()[0]!.toFixed(1);

/** A case's phases over the rounds: its bare reads (each reader's), imports and identical re-imports. */
interface CaseRuns {
  reads: Phase[][];
  imports: Phase[];
  again: Phase[];
}

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
].filter((c) => only.length === 0 || only.includes(extname(c.file).slice(1)));
const loads: string[] = [];
try {
  for (const { rows, file, write } of cases) {
    try {
      statSync(file);
    } catch {
      const t = performance.now();
      await write(file, rows);
      console.error(
        `generated ${file} in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
    }
  }
  const freshDatabase = async (rows: number, run: number) => {
    const url = await ensureDatabase(
      handle.url,
      `sshub_bench_${rows}_${Date.now()}_${run}`,
    );
    const orm = await openOrm(url);
    await migrate(orm);
    await loadCouncilRegister(orm.em.fork(), CouncilRegister.default().records);
    await orm.close();
    return url;
  };
  const run = (what: string, file: string, url?: string) =>
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
  // Rounds alternated: each round runs every case once (its bare reads, then its import into a
  // fresh database and the identical re-import), so that a machine getting busier or quieter
  // weighs on every format alike, and each import is set beside the reads of its own round.
  const runs: CaseRuns[] = cases.map((c) => ({
    reads: c.bare.map(() => []),
    imports: [],
    again: [],
  }));
  for (let i = 0; i < RUNS; i++) {
    loads.push(load());
    for (const [k, c] of cases.entries()) {
      const into = runs[k]!;
      c.bare.forEach((b, j) => into.reads[j]!.push(run(b.phase, c.file)));
      const url = await freshDatabase(c.rows, i);
      into.imports.push(run("import", c.file, url));
      into.again.push(run("import", c.file, url));
      console.error(
        `round ${i + 1}, ${basename(c.file)}: read ${seconds(into.reads[0]!.at(-1)!.ms)}, import ${seconds(into.imports.at(-1)!.ms)}, re-import ${seconds(into.again.at(-1)!.ms)} (load ${load()})`,
      );
    }
  }
  loads.push(load());
  const mb = (phases: Phase[]) =>
    `${Math.round(Math.max(...phases.map((p) => p.maxRssMb)))} MB`;
  const lines = [
    `bench:import, ${RUNS} rounds alternated, medians (peak RSS: the highest of the rounds); ${cpus().length} cores, load average (1 min) at each round's start and at the end: ${loads.join(", ")}`,
    "",
    "| file | bare read (time, CPU, peak RSS) | import | import / read | import CPU / read CPU | rows/s | import peak RSS (main heap, outside it) | identical re-import | status |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const [k, c] of cases.entries()) {
    const { reads, imports, again } = runs[k]!;
    const bare = c.bare
      .map(
        (b, j) =>
          `${b.name} ${seconds(median(reads[j]!.map((r) => r.ms)))}, CPU ${seconds(median(reads[j]!.map((r) => r.cpuMs)))}, ${mb(reads[j]!)}`,
      )
      .join("; ");
    const ms = median(imports.map((r) => r.ms));
    // Each import beside the read of its own round, then the median of those ratios.
    const ratio = median(imports.map((r, i) => r.ms / reads[0]![i]!.ms));
    const cpuRatio = median(
      imports.map((r, i) => r.cpuMs / reads[0]![i]!.cpuMs),
    );
    const peak = (key: "heapTotal" | "external") =>
      Math.round(Math.max(...imports.map((r) => r.peak?.[key] ?? 0)));
    const mbFile = (statSync(c.file).size / 1024 / 1024).toFixed(1);
    lines.push(
      `| ${c.rows.toLocaleString("en-GB")} rows ${extname(c.file)} (${mbFile} MB) | ${bare} | ${seconds(ms)} | ${ratio.toFixed(2)}x (rounds: ${imports.map((r, i) => (r.ms / reads[0]![i]!.ms).toFixed(2)).join(", ")}) | ${cpuRatio.toFixed(2)}x (import CPU ${seconds(median(imports.map((r) => r.cpuMs)))}) | ${Math.round(c.rows / (ms / 1000)).toLocaleString("en-GB")} | ${mb(imports)} (${peak("heapTotal")} MB, ${peak("external")} MB) | ${seconds(median(again.map((r) => r.ms)))}, ${mb(again)} | ${imports[0]!.status}; again: ${again[0]!.status} |`,
    );
  }
  console.log(lines.join("\n"));
} finally {
  await handle.release();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

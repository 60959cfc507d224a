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
import { writeLongTracker } from "./write-long-tracker.js";

// `npm run bench:import [-- 100000 1000000]`: generates long savings trackers (kept in bench/out/),
// then measures, each in its own process, the bare exceljs streaming read and the whole import into a
// fresh database (DATABASE_URL's server, or an embedded one in a temporary folder).
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
    const url = await ensureDatabase(
      handle.url,
      `sshub_bench_${rows}_${Date.now()}`,
    );
    const orm = await openOrm(url);
    await migrate(orm);
    await loadCouncilRegister(orm.em.fork(), CouncilRegister.default().records);
    await orm.close();
    const run = (what: string) =>
      JSON.parse(
        execFileSync(process.execPath, [phase, what, file], {
          env: { ...process.env, DATABASE_URL: url },
          encoding: "utf8",
          maxBuffer: 1 << 20,
        })
          .trim()
          .split("\n")
          .at(-1)!,
      ) as { rows: number; ms: number; maxRssMb: number; status: string };
    const read = run("read");
    const first = run("import");
    const again = run("import");
    const mb = (statSync(file).size / 1024 / 1024).toFixed(1);
    const line =
      `${rows.toLocaleString("en-GB")} rows (${mb} MB): bare exceljs streaming read ${(read.ms / 1000).toFixed(1)} s, peak RSS ${read.maxRssMb.toFixed(0)} MB | ` +
      `import ${(first.ms / 1000).toFixed(1)} s (${(first.ms / read.ms).toFixed(2)}x the read), ${Math.round(first.rows / (first.ms / 1000)).toLocaleString("en-GB")} rows/s, peak RSS ${first.maxRssMb.toFixed(0)} MB [${first.status}] | ` +
      `identical re-import ${(again.ms / 1000).toFixed(1)} s, peak RSS ${again.maxRssMb.toFixed(0)} MB [${again.status}]`;
    console.log(line);
    results.push(line);
  }
} finally {
  await handle.release();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

import "reflect-metadata";
import { createReadStream, readFileSync } from "node:fs";

// One measured phase in its own process, so that its peak RSS is its own: `read FILE` (bare exceljs
// streaming read), `read-csv FILE` (bare csv-parse stream), `read-xls FILE` (the hub's BIFF8 reader
// alone, no later stage), `read-xls-sheetjs FILE` (SheetJS reading the whole workbook, for scale) or
// `import FILE` (the whole pipeline into DATABASE_URL). Prints one JSON line.
// Each phase loads only its own modules, so that neither's memory includes the other's, and is timed
// from once they are loaded.
const [phase, file] = process.argv.slice(2) as [string, string];

/**
 * This process's peak resident memory: Linux's VmHWM, which starts afresh at exec. getrusage's maxRSS
 * does not: a child keeps the peak of the parent it was forked from, so every phase reported the
 * runner's 344 MB once the runner had generated the million-row tracker itself.
 */
function peakRssMb(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(
      readFileSync("/proc/self/status", "utf8"),
    );
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // Not Linux: getrusage's figure, with the caveat above.
  }
  return process.resourceUsage().maxRSS / 1024;
}
let started = 0;
let cpuAtStart = process.cpuUsage();
// The main thread's heap and the memory outside it, sampled: where the peak RSS comes from.
const peak = { heapTotal: 0, external: 0 };
const timer = setInterval(() => {
  const memory = process.memoryUsage();
  peak.heapTotal = Math.max(peak.heapTotal, memory.heapTotal / 1048576);
  peak.external = Math.max(peak.external, memory.external / 1048576);
}, 200);
let rows = 0;
let status = "";
if (phase === "read") {
  const { default: ExcelJS } = await import("exceljs");
  const { STREAM_READER_OPTIONS } =
    await import("../../importers/read-workbook-sheets.js");
  started = performance.now();
  cpuAtStart = process.cpuUsage();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(
    createReadStream(file),
    { ...STREAM_READER_OPTIONS },
  );
  for await (const sheet of reader)
    for await (const row of sheet as unknown as AsyncIterable<{
      values: unknown;
    }>) {
      void row.values;
      rows++;
    }
} else if (phase === "read-csv") {
  const { parse } = await import("csv-parse");
  started = performance.now();
  cpuAtStart = process.cpuUsage();
  const parser = createReadStream(file).pipe(
    parse({ relax_column_count: true }),
  );
  for await (const record of parser as AsyncIterable<string[]>) {
    void record;
    rows++;
  }
} else if (phase === "read-xls") {
  const { readXlsSheets } = await import("../../importers/read-xls-sheets.js");
  const { DEFAULT_IMPORT_LIMITS } =
    await import("../../importers/import-limits.js");
  started = performance.now();
  cpuAtStart = process.cpuUsage();
  for await (const sheet of readXlsSheets(file, DEFAULT_IMPORT_LIMITS))
    for await (const row of sheet.rows) {
      void row;
      rows++;
    }
} else if (phase === "read-xls-sheetjs") {
  const { default: XLSX } = await import("xlsx");
  const { readFileSync } = await import("node:fs");
  started = performance.now();
  cpuAtStart = process.cpuUsage();
  const workbook = XLSX.read(readFileSync(file), { type: "buffer" });
  for (const name of workbook.SheetNames)
    rows += XLSX.utils.sheet_to_json(workbook.Sheets[name]!, {
      header: 1,
    }).length;
} else {
  const { openOrm } = await import("../../db/open-orm.js");
  const { importWorkbook } = await import("../../importers/import-workbook.js");
  started = performance.now();
  cpuAtStart = process.cpuUsage();
  const orm = await openOrm(process.env.DATABASE_URL!);
  try {
    const report = await importWorkbook(orm, file, { runBy: "benchmark" });
    rows = report.sheets.reduce((n, s) => n + s.rowsRead, 0);
    status = `${report.status} created ${report.sheets.reduce((n, s) => n + s.created, 0)} unchanged ${report.sheets.reduce((n, s) => n + s.unchanged, 0)}${report.problems.length ? `; ${report.problems[0]!.code}: ${report.problems[0]!.message}` : ""}`;
  } finally {
    await orm.close();
  }
}
const ms = performance.now() - started;
// CPU time of the whole process (all its threads: the reading worker's too), from once its modules
// were loaded: on a machine shared with other work it varies far less than the time taken.
const used = process.cpuUsage(cpuAtStart);
console.log(
  JSON.stringify({
    phase,
    rows,
    ms,
    maxRssMb: peakRssMb(),
    cpuMs: (used.user + used.system) / 1000,
    status,
    peak,
  }),
);
clearInterval(timer);

import "reflect-metadata";
import { createReadStream } from "node:fs";

// One measured phase in its own process, so that its peak RSS is its own: `read FILE` (bare exceljs
// streaming read) or `import FILE` (the whole pipeline into DATABASE_URL). Prints one JSON line.
// Each phase loads only its own modules, so that neither's memory includes the other's, and is timed
// from once they are loaded.
const [phase, file] = process.argv.slice(2) as [string, string];
let started = 0;
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
} else {
  const { openOrm } = await import("../../db/open-orm.js");
  const { importWorkbook } = await import("../../importers/import-workbook.js");
  started = performance.now();
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
console.log(
  JSON.stringify({
    phase,
    rows,
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    status,
    peak,
  }),
);
clearInterval(timer);

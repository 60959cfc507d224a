import "reflect-metadata";
import ExcelJS from "exceljs";
import { createReadStream } from "node:fs";
import { openOrm } from "../../db/open-orm.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { STREAM_READER_OPTIONS } from "../../importers/read-workbook-sheets.js";

// One measured phase in its own process, so that its peak RSS is its own: `read FILE` (bare exceljs
// streaming read) or `import FILE` (the whole pipeline into DATABASE_URL). Prints one JSON line.
const [phase, file] = process.argv.slice(2) as [string, string];
const started = performance.now();
let rows = 0;
let status = "";
if (phase === "read") {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(
    createReadStream(file),
    { ...STREAM_READER_OPTIONS },
  );
  for await (const sheet of reader)
    for await (const row of sheet as unknown as AsyncIterable<ExcelJS.Row>) {
      void row.values;
      rows++;
    }
} else {
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
  }),
);

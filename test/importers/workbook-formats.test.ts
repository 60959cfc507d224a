import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import XLSX from "xlsx";
import { describe, expect, it } from "vitest";
import type { SampleWorkbook } from "../../fixtures/generate-samples.js";
import {
  encodeWindows1252,
  sheetCsv,
  writeSampleAs,
} from "../../fixtures/write-sheet-formats.js";
import { importWorkbook } from "../../importers/import-workbook.js";
import { DEFAULT_IMPORT_LIMITS } from "../../importers/import-limits.js";
import { sniffDelimiter } from "../../importers/read-csv-sheets.js";
import {
  WORKBOOK_FORMATS,
  type WorkbookFormat,
} from "../../importers/workbook-format.js";
import { useTestDatabase } from "../support/test-database.js";
import { longTracker } from "./support/tracker-workbooks.js";
import { rawXlsxEntries, type RawCell } from "./support/write-raw-xlsx.js";
import { workbookDir } from "./support/write-test-workbook.js";
import { writeZip } from "../../fixtures/write-zip.js";
import { inEveryFormat } from "./support/import-in-every-format.js";

const db = useTestDatabase();
const dir = workbookDir();

/** The June 2008 host tracker: title lines, a header on row 5, figures from row 6. */
function tracker(file: string, badAmount = false): SampleWorkbook {
  return longTracker(file, "June 2008", [
    [null, "Internal Audit", "2007/08", "Achieved", 30000],
    [null, "Procurement", "2007/08", "Achieved", "£357,000"],
    [
      null,
      "Building Control",
      "2007/08",
      "Achieved",
      badAmount ? "lots" : "£72k",
    ],
    [
      "Chesterfield Borough Council",
      "Procurement",
      "2007/08",
      "Achieved",
      119000,
    ],
    [],
    [null, "Total", null, null, 578000],
  ]);
}

/**
 * The tracker with E8 (Building Control's amount) holding a #DIV/0! (a formula whose result is that
 * error; in a CSV, the text Excel exports) or a formula saved without its result, written as each
 * format's own program would: raw sheet XML for .xlsx, SheetJS for .xls, LibreOffice's content.xml
 * markup for .ods.
 */
async function writeTrackerWithE8(
  stem: string,
  format: WorkbookFormat,
  e8: "error" | "formula",
): Promise<string> {
  const spec = tracker(`${stem}.xlsx`).sheets[0]!;
  const lines: (string | number | null)[][] = [
    ...spec.title,
    spec.header,
    ...spec.rows,
  ].map((line) =>
    line.map((cell) => (cell instanceof Date ? cell.toISOString() : cell)),
  );
  const path = join(dir, `${stem}.${format}`);
  if (format === "csv") {
    lines[7]![4] = "#DIV/0!";
    writeFileSync(
      path,
      lines.map((line) => line.map((c) => c ?? "").join(",")).join("\r\n"),
    );
    return path;
  }
  if (format === "xls") {
    const sheet = XLSX.utils.aoa_to_sheet(lines);
    sheet["E8"] = { t: "e", v: 0x07, w: "#DIV/0!", f: "E6/0" };
    const workbook = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(workbook, sheet, "Tracker");
    writeFileSync(
      path,
      XLSX.write(workbook, { bookType: "xls", type: "buffer" }) as Buffer,
    );
    return path;
  }
  if (format === "xlsx") {
    const rows: RawCell[][] = lines.map((line) =>
      line.map((c) => (typeof c === "number" ? { v: String(c) } : c)),
    );
    rows[7]![4] =
      e8 === "error"
        ? { t: "e", f: "E6/0", v: "#DIV/0!" }
        : { f: "SUM(E6:E7)" };
    await writeZip(path, rawXlsxEntries([{ name: "Tracker", rows }]));
    return path;
  }
  const cellXml = (c: string | number | null): string =>
    c === null
      ? "<table:table-cell/>"
      : typeof c === "number"
        ? `<table:table-cell office:value-type="float" office:value="${c}"><text:p>${c}</text:p></table:table-cell>`
        : `<table:table-cell office:value-type="string"><text:p>${c.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</text:p></table:table-cell>`;
  const rowsXml = lines
    .map((line, r) => {
      const cells = line.map((c, i) =>
        r === 7 && i === 4
          ? e8 === "error"
            ? '<table:table-cell table:formula="of:=[.E6]/0" office:value-type="float" office:value="" calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>'
            : '<table:table-cell table:formula="of:=SUM([.E6:.E7])"/>'
          : cellXml(c),
      );
      return `<table:table-row>${cells.join("")}</table:table-row>`;
    })
    .join("");
  await writeZip(path, [
    {
      name: "mimetype",
      data: Buffer.from("application/vnd.oasis.opendocument.spreadsheet"),
    },
    {
      name: "content.xml",
      data: Buffer.from(
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"><office:body><office:spreadsheet>' +
          `<table:table table:name="Tracker">${rowsXml}</table:table>` +
          "</office:spreadsheet></office:body></office:document-content>",
      ),
    },
  ]);
  return path;
}

async function storedFigures(runId: number) {
  return db.orm.em
    .fork()
    .getConnection()
    .execute<
      {
        service: string;
        council: string | null;
        measure: string;
        amount: string;
        cell: string;
      }[]
    >(
      `select s.name as service, c.gss_code as council, f.measure, f.amount::text as amount, f.source_cell as cell
       from savings_figure f join service s on s.id = f.service_id left join council c on c.id = f.council_id
       where f.import_run_id = ? order by s.name, c.gss_code nulls first`,
      [runId],
    );
}

describe("four formats behind one reading stage", () => {
  it("reads the same tracker as .xlsx, .xls, .ods and CSV into the same figures, from the same cells", async () => {
    const stored: Record<string, unknown> = {};
    for (const { format, importSample } of inEveryFormat(db, dir)) {
      const report = await importSample(tracker(`same-${format}.xlsx`), {
        dryRun: false,
      });
      expect(report.problems, format).toEqual([]);
      expect(report.status, format).toBe("IMPORTED");
      expect(
        report.sheets.map((s) => s.sheet),
        format,
      ).toEqual([format === "csv" ? "same-csv" : "Tracker"]);
      stored[format] = await storedFigures(report.importRunId);
      // Each month replaces the last: the next format's import runs against a clean period.
      await db.orm.em
        .fork()
        .getConnection()
        .execute("delete from savings_figure");
    }
    expect(stored.xlsx).toEqual([
      {
        service: "Building Control",
        council: null,
        measure: "ACHIEVED",
        amount: "72000.00",
        cell: "E8",
      },
      {
        service: "Internal Audit",
        council: null,
        measure: "ACHIEVED",
        amount: "30000.00",
        cell: "E6",
      },
      {
        service: "Procurement",
        council: null,
        measure: "ACHIEVED",
        amount: "357000.00",
        cell: "E7",
      },
      {
        service: "Procurement",
        council: "E07000034",
        measure: "ACHIEVED",
        amount: "119000.00",
        cell: "E9",
      },
    ]);
    for (const format of WORKBOOK_FORMATS)
      expect(stored[format], format).toEqual(stored.xlsx);
  });

  it("names the same A1 cell for a bad amount in every format (a CSV's sheet is its file's name)", async () => {
    for (const { format, importSample } of inEveryFormat(db, dir)) {
      const report = await importSample(tracker(`bad-${format}.xlsx`, true));
      expect(report.status, format).toBe("REFUSED");
      expect(report.problems, format).toMatchObject([
        {
          code: "bad-amount",
          sheet: format === "csv" ? "bad-csv" : "Tracker",
          cell: "E8",
          row: 8,
          header: "Amount (£)",
          value: "lots",
        },
      ]);
    }
  });

  it.each([
    {
      what: "a #DIV/0! amount",
      formats: [...WORKBOOK_FORMATS],
      code: "bad-amount",
      message: "#DIV/0!",
    },
    {
      // A .xls always keeps a formula's result, and a CSV has no formulas: only .xlsx and .ods.
      what: "an amount whose formula was saved without its result",
      formats: ["xlsx", "ods"] as WorkbookFormat[],
      code: "formula-without-value",
      message: "open the file in Excel, let it calculate, save it",
    },
  ])(
    "refuses $what in E8 in every format that can hold it, naming the cell",
    async ({ what, formats, code, message }) => {
      const error = what.includes("#DIV/0!");
      for (const format of formats) {
        const path = await writeTrackerWithE8(
          `e8-${error ? "error" : "formula"}-${format}`,
          format,
          error ? "error" : "formula",
        );
        const report = await importWorkbook(db.orm, path);
        expect(report.status, format).toBe("REFUSED");
        // (A total under a cell with no figure may also be warned about: only the errors matter here.)
        const errors = report.problems.filter((p) => p.severity === "error");
        expect(errors, format).toMatchObject([
          {
            code,
            sheet: format === "csv" ? basename(path, ".csv") : "Tracker",
            cell: "E8",
            row: 8,
          },
        ]);
        expect(errors[0]!.message, format).toContain("E8");
        expect(errors[0]!.message, format).toContain(message);
      }
    },
  );

  it("reads CSV in UTF-8 with or without a mark and in Windows-1252, split by comma, semicolon or tab", async () => {
    const styles = [
      { delimiter: ",", encoding: "utf-8" },
      { delimiter: ";", encoding: "utf-8-bom" },
      { delimiter: "\t", encoding: "windows-1252" },
      { delimiter: ";", encoding: "windows-1252", lineEnd: "\n" },
    ] as const;
    for (const [i, style] of styles.entries()) {
      const path = join(dir, `style-${i}.csv`);
      writeFileSync(path, sheetCsv(tracker("x").sheets[0]!, style));
      const report = await importWorkbook(db.orm, path, { dryRun: true });
      expect(report.problems, JSON.stringify(style)).toEqual([]);
      expect(report.sheets[0]!.rowsRead, JSON.stringify(style)).toBe(4);
    }
  });

  it("sniffs the separator from the table, not from commas inside amounts or title lines", () => {
    expect(
      sniffDelimiter(
        "Partners: A, B, C\nService;Amount\nAudit;£357,000\nProcurement;£1,000\n",
      ),
    ).toBe(";");
    expect(sniffDelimiter('Title\nService,Amount\nAudit,"£357,000"\n')).toBe(
      ",",
    );
    expect(sniffDelimiter("Service\tAmount\tNotes\nAudit\t1,000\tx;y\n")).toBe(
      "\t",
    );
  });

  it("keeps a quoted field over several lines as one cell and counts rows as Excel does", async () => {
    const path = join(dir, "multiline.csv");
    writeFileSync(
      path,
      'Savings tracker\nPeriod:,June 2008\nPartnership:,Derbyshire RCE Shared Services\nCouncil,Workstream,Financial year,Measure,Amount (£)\n,"Internal\nAudit",2007/08,Achieved,lots\n',
    );
    const report = await importWorkbook(db.orm, path, { dryRun: true });
    expect(report.problems).toMatchObject([
      { code: "bad-amount", cell: "E5", sheet: "multiline" },
    ]);
  });
});

describe("the content decides the format; a name that lies is named", () => {
  it("reads an .xlsx that is really a CSV as CSV, with a warning", async () => {
    const path = join(dir, "export.xlsx");
    writeFileSync(path, sheetCsv(tracker("x").sheets[0]!));
    const report = await importWorkbook(db.orm, path, { dryRun: true });
    expect(report.status).toBe("DRY_RUN");
    expect(report.problems).toMatchObject([
      {
        code: "misnamed-file",
        severity: "warning",
        message: expect.stringMatching(
          /named as an Excel workbook \(\.xlsx\) but is a CSV text file/,
        ),
      },
    ]);
  });

  it("refuses a .xls that is a web page, a CSV that is binary, and a PDF, each in one line", async () => {
    const cases: [string, Buffer, RegExp][] = [
      [
        "report.xls",
        Buffer.from(
          "<html><body><table><tr><td>Service</td></tr></table></body></html>",
        ),
        /is a web page \(HTML\)/,
      ],
      [
        "report2.xls",
        Buffer.from(
          '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook/>',
        ),
        /Excel 2003 XML/,
      ],
      ["data.csv", Buffer.from([0x53, 0x65, 0, 1, 2, 3, 0x0a]), /binary/],
      ["scan.csv", Buffer.from("%PDF-1.4\n..."), /PDF/],
    ];
    for (const [name, bytes, message] of cases) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const report = await importWorkbook(db.orm, path);
      expect(report.status, name).toBe("REFUSED");
      expect(report.problems, name).toMatchObject([
        { code: "unreadable-file", message: expect.stringMatching(message) },
      ]);
    }
  });

  it("refuses a CSV that mixes UTF-8 and Windows-1252, naming the line", async () => {
    const path = join(dir, "mixed.csv");
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from("Service,Amount (£)\nAudit,£30k\n", "utf8"),
        encodeWindows1252("Procurement,£357,000\n"),
      ]),
    );
    const report = await importWorkbook(db.orm, path);
    expect(report.status).toBe("REFUSED");
    expect(report.problems).toMatchObject([
      {
        code: "bad-encoding",
        message: expect.stringMatching(
          /line 3 has a byte \(0xA3\) that is not UTF-8/,
        ),
      },
    ]);
  });
});

describe("hostile files in the new formats", () => {
  it("refuses a CSV whose quote never closes, without holding the rest of the file", async () => {
    const path = join(dir, "open-quote.csv");
    writeFileSync(
      path,
      `Service,Amount\n"Audit,${"x".repeat(3 * 1024 * 1024)}\n`,
    );
    const report = await importWorkbook(db.orm, path);
    expect(report.status).toBe("REFUSED");
    expect(report.problems).toMatchObject([
      {
        code: "unreadable-file",
        message: expect.stringMatching(/row 2 of open-quote is longer than/),
      },
    ]);
  });

  it("refuses a CSV with more columns than the limit, naming the cell", async () => {
    const path = join(dir, "wide.csv");
    writeFileSync(
      path,
      `Service,Amount\n${"x,".repeat(DEFAULT_IMPORT_LIMITS.maxColumns + 5)}\n`,
    );
    const report = await importWorkbook(db.orm, path);
    expect(report.status).toBe("REFUSED");
    expect(report.problems).toMatchObject([
      { code: "too-large", sheet: "wide", cell: "SL2" },
    ]);
  });

  it("refuses a .xls whose sector chain loops, and one cut short, as damaged", async () => {
    const good = await writeSampleAs(tracker("chain.xlsx"), "xls", dir);
    const bytes = readFileSync(good);
    // Point the first FAT entry of the directory chain back at itself.
    const looped = Buffer.from(bytes);
    const firstDirectory = looped.readUInt32LE(48);
    const fatSector = looped.readUInt32LE(76);
    looped.writeUInt32LE(
      firstDirectory,
      512 * (fatSector + 1) + firstDirectory * 4,
    );
    const loopPath = join(dir, "looped.xls");
    writeFileSync(loopPath, looped);
    const cutPath = join(dir, "cut.xls");
    writeFileSync(cutPath, bytes.subarray(0, 1024));
    for (const path of [loopPath, cutPath]) {
      const report = await importWorkbook(db.orm, path);
      expect(report.status, path).toBe("REFUSED");
      expect(report.problems, path).toMatchObject([
        {
          code: "unreadable-file",
          message: expect.stringMatching(
            /Excel 97-2003 \(\.xls\) file that is damaged/,
          ),
        },
      ]);
    }
  });

  it("refuses an .ods that repeats a filled row past the row limit, without expanding it", async () => {
    const path = join(dir, "repeat.ods");
    await writeZip(path, [
      {
        name: "mimetype",
        data: Buffer.from("application/vnd.oasis.opendocument.spreadsheet"),
      },
      {
        name: "content.xml",
        data: Buffer.from(
          '<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>' +
            '<table:table table:name="Tracker"><table:table-row table:number-rows-repeated="2000000000">' +
            '<table:table-cell office:value-type="string"><text:p>Service</text:p></table:table-cell>' +
            "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>",
        ),
      },
    ]);
    const report = await importWorkbook(db.orm, path, {
      limits: { maxRows: 10_000 },
    });
    expect(report.status).toBe("REFUSED");
    expect(report.problems.at(-1)).toMatchObject({
      code: "too-large",
      sheet: "Tracker",
    });
  });

  it("skips hidden sheets of .xls and .ods as it does in .xlsx", async () => {
    const sample = tracker("hidden-xls.xlsx");
    sample.sheets.push({ ...sample.sheets[0]!, name: "Old", hidden: true });
    const xls = await writeSampleAs(sample, "xls", dir);
    // SheetJS writes no hidden tables in .ods: this one is written as LibreOffice writes it.
    const ods = join(dir, "hidden.ods");
    await writeZip(ods, [
      {
        name: "mimetype",
        data: Buffer.from("application/vnd.oasis.opendocument.spreadsheet"),
      },
      {
        name: "content.xml",
        data: Buffer.from(
          '<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x" xmlns:style="s">' +
            '<office:automatic-styles><style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style></office:automatic-styles>' +
            '<office:body><office:spreadsheet><table:table table:name="Old" table:style-name="ta2"><table:table-row>' +
            '<table:table-cell office:value-type="string"><text:p>Service</text:p></table:table-cell>' +
            "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>",
        ),
      },
    ]);
    for (const path of [xls, ods]) {
      const report = await importWorkbook(db.orm, path, { dryRun: true });
      expect(report.problems[0], path).toMatchObject({
        code: "hidden-sheet",
        sheet: "Old",
      });
    }
  });
});

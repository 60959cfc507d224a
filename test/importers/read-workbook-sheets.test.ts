import ExcelJS from "exceljs";
import { createReadStream, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IMPORT_LIMITS } from "../../importers/import-limits.js";
import {
  readWorkbookSheets,
  WorkbookReadIncomplete,
} from "../../importers/read-workbook-sheets.js";
import { writeZip } from "../../fixtures/write-zip.js";
import { workbookDir } from "./support/write-test-workbook.js";

// exceljs's zip stream can end before it has walked every entry (seen once under heavy load as
// "Cannot read properties of undefined (reading 'sheets')"). A stream cut off just before
// xl/workbook.xml, the last entry exceljs writes, is exactly what such a read sees.

let path: string;
let whole: Buffer;
let cut: Buffer;

beforeAll(async () => {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet("First").addRow(["a", 1]);
  workbook.addWorksheet("Second").addRow(["b", 2]);
  path = join(workbookDir(), "two-sheets.xlsx");
  await workbook.xlsx.writeFile(path);
  whole = readFileSync(path);
  // A local header is 30 bytes, then the entry's name.
  const header = whole.indexOf("xl/workbook.xml") - 30;
  expect(whole.readUInt32LE(header)).toBe(0x04034b50);
  cut = whole.subarray(0, header);
});

async function readAll(open: () => Readable) {
  const sheets: { name: string; rows: unknown[] }[] = [];
  for await (const sheet of readWorkbookSheets(path, {
    file: "two-sheets.xlsx",
    limits: DEFAULT_IMPORT_LIMITS,
    open,
  })) {
    const rows: unknown[] = [];
    for await (const row of sheet.rows) rows.push(row);
    sheets.push({ name: sheet.name, rows });
  }
  return sheets;
}

describe("readWorkbookSheets when the zip stream ends early", () => {
  it("reads the file again from the start and gets every sheet", async () => {
    let opened = 0;
    const sheets = await readAll(() =>
      Readable.from([opened++ === 0 ? cut : whole]),
    );
    expect(opened).toBe(2);
    expect(sheets.map((s) => s.name)).toEqual(["First", "Second"]);
    expect(sheets.every((s) => s.rows.length === 1)).toBe(true);
  });

  it("refuses with its own clear error, yielding no sheet, when the second read ends early too", async () => {
    let opened = 0;
    const sheets: string[] = [];
    const reading = (async () => {
      for await (const sheet of readWorkbookSheets(path, {
        file: "two-sheets.xlsx",
        limits: DEFAULT_IMPORT_LIMITS,
        open: () => {
          opened++;
          return Readable.from([cut]);
        },
      }))
        sheets.push(sheet.name);
    })();
    await expect(reading).rejects.toThrow(WorkbookReadIncomplete);
    await expect(reading).rejects.toThrow(
      "the zip stream of two-sheets.xlsx ended before the workbook part (xl/workbook.xml), although its directory lists it",
    );
    expect(opened).toBe(2);
    expect(sheets).toEqual([]);
  });
});

describe("readWorkbookSheets on parts in another writer's order", () => {
  // The parts of a one-sheet workbook, in the order some writers save them: the shared strings
  // before the worksheet and xl/workbook.xml (which names the sheet) after it, the last entry.
  const xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
  const main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const rel =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const entries = {
    "[Content_Types].xml": `${xml}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
    "_rels/.rels": `${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/_rels/workbook.xml.rels": `${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    "xl/sharedStrings.xml": `${xml}<sst xmlns="${main}" count="2" uniqueCount="2"><si><t>Service</t></si><si><t>Internal Audit</t></si></sst>`,
    "xl/worksheets/sheet1.xml": `${xml}<worksheet xmlns="${main}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="str"><v>Amount</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>30000</v></c></row></sheetData></worksheet>`,
    "xl/workbook.xml": `${xml}<workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="Savings" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  };

  it("reads a worksheet whose shared strings come before it, whose workbook part comes after it, with no styles part", async () => {
    path = join(workbookDir(), "workbook-part-last.xlsx");
    await writeZip(
      path,
      Object.entries(entries).map(([name, text]) => ({
        name,
        data: Buffer.from(text),
      })),
    );
    const sheets = await readAll(() => createReadStream(path));
    expect(sheets).toEqual([
      {
        name: "Savings",
        rows: [
          { number: 1, cells: ["Service", "Amount"] },
          { number: 2, cells: ["Internal Audit", 30000] },
        ],
      },
    ]);
  });
});

describe("the exceljs internals readWorkbookSheets leans on", () => {
  // read-workbook-sheets.ts patches three things of exceljs's streaming reader, each checked against
  // exceljs 4.4.0 with unzipper 0.10.14 (the versions package-lock.json holds): the input's pipe into
  // unzipper's Parse (holdZipEndUntilEntriesRead), the reader's workbookRels and _parseWorksheet
  // (sheets wait for xl/workbook.xml), and the workbook-properties xform's parseOpen (date1904="true").
  // The behaviours are tested above and in hostile-cells.test.ts; this names what they lean on, so that
  // an upgrade fails here first, saying what to check again.
  const require = createRequire(import.meta.url);
  const version = (name: string) =>
    (require(`${name}/package.json`) as { version: string }).version;

  it("runs on the exceljs and unzipper its patches were checked against", () => {
    expect(
      version("exceljs"),
      "exceljs upgraded: check read-workbook-sheets.ts's patches against it, then update this",
    ).toBe("4.4.0");
    expect(
      version("unzipper"),
      "unzipper upgraded: check holdZipEndUntilEntriesRead against its Parse, then update this",
    ).toBe("0.10.14");
  });

  it("finds the reader's methods and the parts it patches where exceljs 4.4.0 has them", () => {
    const reader = ExcelJS.stream.xlsx.WorkbookReader
      .prototype as unknown as Record<string, unknown>;
    for (const method of ["parse", "_parseRels", "_parseWorkbook"])
      expect(typeof reader[method], method).toBe("function");
    // A generator: readOnce wraps it with one of its own.
    expect(reader._parseWorksheet?.constructor.name).toBe("GeneratorFunction");
    // The deferral test the workbookRels property answers, and the pipe into unzipper's Parse.
    const parse = String(reader.parse);
    expect(parse).toContain("this.sharedStrings && this.workbookRels");
    expect(parse).toContain("stream.pipe(zip)");
    const xform =
      require("exceljs/lib/xlsx/xform/book/workbook-properties-xform.js") as {
        prototype: { parseOpen?: unknown };
      };
    expect(typeof xform.prototype.parseOpen).toBe("function");
  });
});

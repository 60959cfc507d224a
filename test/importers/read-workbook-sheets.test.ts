import ExcelJS from "exceljs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IMPORT_LIMITS } from "../../importers/import-limits.js";
import {
  readWorkbookSheets,
  WorkbookReadIncomplete,
} from "../../importers/read-workbook-sheets.js";
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

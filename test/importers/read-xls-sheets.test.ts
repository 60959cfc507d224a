import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import XLSX from "xlsx";
import { DEFAULT_IMPORT_LIMITS } from "../../importers/import-limits.js";
import {
  readXlsSheets,
  workbookStream,
} from "../../importers/read-xls-sheets.js";
import type { SheetRow } from "../../importers/read-workbook-sheets.js";
import { workbookDir } from "./support/write-test-workbook.js";

let dir: string;
beforeAll(() => {
  dir = workbookDir();
});

const LABEL = 0x0204;

/**
 * A one-sheet .xls written by SheetJS (LABEL records, one cell each, in row order), with rows enough
 * below `rows` that its workbook stream lies in the file's own sectors, in order (not in the mini
 * stream), so that its records can be changed in place.
 */
function xlsFile(rows: (string | number)[][]): Buffer {
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(
    workbook,
    XLSX.utils.aoa_to_sheet([
      ...rows,
      ...Array.from({ length: 200 }, (_, i) => [`Service ${i}`, "2012/13", i]),
    ]),
    "Tracker",
  );
  return XLSX.write(workbook, { bookType: "xls", type: "buffer" }) as Buffer;
}

/** Where each LABEL record of the workbook stream starts, in the file (the stream is a view of it). */
function labelRecords(file: Buffer): { at: number; text: string }[] {
  const stream = workbookStream(file);
  if (stream.buffer !== file.buffer)
    throw new Error("the workbook stream is not a view of the file");
  const found: { at: number; text: string }[] = [];
  for (let at = 0; at + 4 <= stream.length;) {
    const type = stream.readUInt16LE(at);
    const length = stream.readUInt16LE(at + 2);
    if (type === LABEL) {
      const count = stream.readUInt16LE(at + 10);
      const high = stream[at + 12]! & 1;
      found.push({
        at: stream.byteOffset - file.byteOffset + at,
        text: stream.toString(
          high ? "utf16le" : "latin1",
          at + 13,
          at + 13 + count * (high ? 2 : 1),
        ),
      });
    }
    at += 4 + length;
  }
  return found;
}

/** The sheet's rows as the importer reads them, and the error that ended the read, if any. */
async function readRows(
  path: string,
): Promise<{ rows: SheetRow[]; error: Error | null }> {
  const rows: SheetRow[] = [];
  try {
    for await (const sheet of readXlsSheets(path, DEFAULT_IMPORT_LIMITS))
      for await (const row of sheet.rows) rows.push(row);
  } catch (error) {
    return { rows, error: error as Error };
  }
  return { rows, error: null };
}

const TRACKER = [
  ["Service", "Financial year", "Amount"],
  ["Audit", "2010/11", 1000],
  ["Payroll", "2010/11", 2000],
  ["Legal", "2011/12", 3000],
];

describe("reading an Excel 97-2003 sheet", () => {
  it("reads a sheet whose cells are not in row order into its rows in order, as Excel shows them", async () => {
    const file = xlsFile(TRACKER);
    // Row 2's records moved after row 3's: the same cells, A3, B3 and C3 listed before A2.
    const labels = labelRecords(file);
    const [row2, row3, row4] = ["Audit", "Payroll", "Legal"].map(
      (text) => labels.find((l) => l.text === text)!.at,
    ) as [number, number, number];
    Buffer.concat([
      Buffer.from(file.subarray(row3, row4)),
      Buffer.from(file.subarray(row2, row3)),
    ]).copy(file, row2);
    const path = join(dir, "out-of-order.xls");
    writeFileSync(path, file);

    const { rows, error } = await readRows(path);
    expect(error).toBeNull();
    expect(rows.slice(0, 4).map((r) => [r.number, r.cells])).toEqual([
      [1, ["Service", "Financial year", "Amount"]],
      [2, ["Audit", "2010/11", 1000]],
      [3, ["Payroll", "2010/11", 2000]],
      [4, ["Legal", "2011/12", 3000]],
    ]);
    expect(rows.map((r) => r.number)).toEqual(
      Array.from({ length: 204 }, (_, i) => i + 1),
    );
  });

  it("hands a sheet's rows on as it reads them, before a damaged cell further down stops the read", async () => {
    const file = xlsFile(TRACKER);
    // "Service 5" (A10) claims more characters than its record holds.
    const damaged = labelRecords(file).find((l) => l.text === "Service 5")!;
    file.writeUInt16LE(200, damaged.at + 10);
    const path = join(dir, "damaged-last-row.xls");
    writeFileSync(path, file);

    const { rows, error } = await readRows(path);
    expect(error?.message).toMatch(/a string runs past its record/);
    // A sheet gathered whole before its first row would have handed on none.
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.every((r, i) => r.number === i + 1 && r.number < 10)).toBe(
      true,
    );
  });
});

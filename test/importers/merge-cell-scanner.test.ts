import { describe, expect, it } from "vitest";
import {
  MAX_MERGED_RANGES,
  MergeCellScanner,
  mergedRangeOf,
} from "../../importers/merge-cell-scanner.js";

// Rows enough that chunks as long as the inflater's (longer than any tag) cut the ranges' tags.
const ROWS = Array.from(
  { length: 60 },
  (_, i) => `<row r="${i + 2}"><c r="B${i + 2}"><v>${i}</v></c></row>`,
).join("");
const SHEET =
  '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>mergeCell ref="Z9:Z10" is text</t></is></c></row>' +
  `${ROWS}</sheetData>` +
  '<mergeCells count="3"><mergeCell ref="B3:D3"/><mergeCell  ref="A3:A4" />' +
  '<mergeCell\nref="AA10:AB12"/></mergeCells><pageMargins left="0.7"/>' +
  `<headerFooter><oddHeader>${"Shared services ".repeat(100)}</oddHeader></headerFooter></worksheet>`;

const EXPECTED = [
  { row: 3, column: 1, lastColumn: 3, lastRow: 3 },
  { row: 3, column: 0, lastColumn: 0, lastRow: 4 },
  { row: 10, column: 26, lastColumn: 27, lastRow: 12 },
];

function scan(chunks: string[]) {
  const scanner = new MergeCellScanner();
  for (const chunk of chunks) scanner.feed(Buffer.from(chunk, "latin1"));
  return scanner.end();
}

describe("finding a worksheet's merged ranges in its XML", () => {
  it("finds every <mergeCell> however the XML is cut into chunks, and not the word in a cell's text", () => {
    expect(scan([SHEET])).toEqual(EXPECTED);
    for (let cut = 1; cut < SHEET.length; cut++)
      expect(
        scan([SHEET.slice(0, cut), SHEET.slice(cut)]),
        `cut at ${cut}`,
      ).toEqual(EXPECTED);
    // Chunks of every length from short ones (gathered until longer than a tag) to several tags'.
    for (const length of [7, 100, 1024, 1025, 1100, 1500])
      for (let offset = 0; offset < Math.min(length, 200); offset += 13) {
        const pieces = [SHEET.slice(0, offset)];
        for (let at = offset; at < SHEET.length; at += length)
          pieces.push(SHEET.slice(at, at + length));
        expect(scan(pieces), `${length} from ${offset}`).toEqual(EXPECTED);
      }
  });

  it("reads a prefixed tag (<x:mergeCell>) as the OpenXML SDK writes it", () => {
    const xml =
      '<x:worksheet><x:sheetData/><x:mergeCells count="1"><x:mergeCell ref="C5:E5"/></x:mergeCells></x:worksheet>';
    for (let cut = 1; cut < xml.length; cut++)
      expect(scan([xml.slice(0, cut), xml.slice(cut)])).toEqual([
        { row: 5, column: 2, lastColumn: 4, lastRow: 5 },
      ]);
  });

  it("leaves out refs outside Excel's grid and keeps at most MAX_MERGED_RANGES", () => {
    expect(mergedRangeOf("A0:B1")).toBeNull();
    expect(mergedRangeOf("A1:XFE1")).toBeNull();
    expect(mergedRangeOf("D3:B2")).toEqual({
      row: 2,
      column: 1,
      lastColumn: 3,
      lastRow: 3,
    });
    const many = Array.from(
      { length: MAX_MERGED_RANGES + 5 },
      (_, i) => `<mergeCell ref="A${i + 1}:B${i + 1}"/>`,
    ).join("");
    expect(scan([many])).toHaveLength(MAX_MERGED_RANGES);
  });
});

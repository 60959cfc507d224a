import type { SheetMergedRange } from "./cell-value.js";

/** Excel's grid: a range outside it is a damaged file's, and is left out. */
const MAX_ROW = 1_048_576;
const MAX_COLUMN = 16_384;

/**
 * Ranges kept per sheet: far more than any header needs, few enough to stay small (a sheet merging
 * every row of a long report is read by the blanks-to-the-right rule past them).
 */
export const MAX_MERGED_RANGES = 10_000;

const NAME = Buffer.from("mergeCell");
/**
 * Bytes of a chunk's end looked at again with the next chunk: more than a tag's name and prefix, so
 * that a name cut by the chunk boundary is found whole.
 */
const TAIL = 64;
/** The longest <mergeCell …/> tag read; a longer one is no range Excel writes. */
const MAX_TAG = 1024;
const LT = 0x3c;
const GT = 0x3e;
const COLON = 0x3a;

/** Whether a byte may be in an XML prefix ("x" of <x:mergeCell>). */
function isNameByte(byte: number): boolean {
  return (
    (byte >= 0x61 && byte <= 0x7a) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x5f ||
    byte === 0x2d ||
    byte === 0x2e
  );
}

function columnOf(letters: string): number {
  let column = 0;
  for (const char of letters.toUpperCase())
    column = column * 26 + (char.charCodeAt(0) - 64);
  return column - 1;
}

/** A `ref` ("B3:D3", or "B3" for one cell) as a range, or null when it is none Excel can have. */
export function mergedRangeOf(ref: string): SheetMergedRange | null {
  const match =
    /^\s*\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?\s*$/.exec(
      ref,
    );
  if (!match) return null;
  const first = columnOf(match[1]!);
  const top = Number(match[2]);
  const last = match[3] ? columnOf(match[3]) : first;
  const bottom = match[4] ? Number(match[4]) : top;
  const row = Math.min(top, bottom);
  const lastRow = Math.max(top, bottom);
  const column = Math.min(first, last);
  const lastColumn = Math.max(first, last);
  if (row < 1 || lastRow > MAX_ROW || lastColumn >= MAX_COLUMN) return null;
  return { row, column, lastColumn, lastRow };
}

/**
 * Finds a worksheet's merged ranges (its `<mergeCell ref="B3:D3"/>` elements) in its XML as it is
 * inflated, chunk by chunk, without parsing it: an .xlsx lists them after all its rows, where the
 * streaming reader meets them too late to read the header with them, so they are taken from the
 * pass that already inflates every entry (the guard's). A byte search, cheap beside the inflating.
 */
export class MergeCellScanner {
  /** The end of the last chunk: bytes that may hold the start of a tag not read yet. */
  private carry: Buffer | null = null;
  /** Chunks shorter than a tag, gathered until they are not. */
  private short: Buffer | null = null;
  readonly ranges: SheetMergedRange[] = [];

  /** The next inflated bytes of the sheet's XML. */
  feed(bytes: Buffer): void {
    let chunk = bytes;
    if (this.short || chunk.length < MAX_TAG) {
      chunk = this.short ? Buffer.concat([this.short, chunk]) : chunk;
      this.short = chunk.length < MAX_TAG ? Buffer.from(chunk) : null;
      if (this.short) return;
    }
    if (this.carry) {
      // The tags starting in the bytes carried over, completed by this chunk's first bytes; only
      // this much is copied, so the search costs about a pass over the chunk.
      this.read(
        Buffer.concat([this.carry, chunk.subarray(0, MAX_TAG)]),
        0,
        this.carry.length,
      );
    }
    const tail = Math.max(chunk.length - TAIL, 0);
    const cut = this.read(chunk, 0, tail);
    this.carry = Buffer.from(chunk.subarray(cut >= 0 ? cut : tail));
  }

  /** The sheet's XML has ended: its ranges. */
  end(): SheetMergedRange[] {
    const rest = Buffer.concat([
      this.carry ?? Buffer.alloc(0),
      this.short ?? Buffer.alloc(0),
    ]);
    this.carry = this.short = null;
    this.read(rest, 0, rest.length);
    return this.ranges;
  }

  /**
   * Reads the complete mergeCell tags of `data` whose "<" is in [from, until); returns where the first
   * tag cut short by the end of `data` begins (-1: none, or one longer than any range's tag).
   */
  private read(data: Buffer, from: number, until: number): number {
    for (let at = from; ;) {
      const found = data.indexOf(NAME, at);
      if (found < 0) return -1;
      at = found + NAME.length;
      const start = tagStart(data, found);
      if (start >= until) return -1;
      // A name whose "<" was in the bytes before these (read with them), or text holding the word.
      if (start < from || data[start] !== LT) continue;
      if (at >= data.length) return start;
      const after = data[at];
      // <mergeCells> (the list) is no range's tag.
      if (
        after !== 0x20 &&
        after !== 0x09 &&
        after !== 0x0a &&
        after !== 0x0d &&
        after !== 0x2f
      )
        continue;
      const close = data.indexOf(GT, at);
      if (close < 0) return data.length - start <= MAX_TAG ? start : -1;
      if (close - start > MAX_TAG || this.ranges.length >= MAX_MERGED_RANGES)
        continue;
      const ref = /\bref\s*=\s*(["'])(.*?)\1/.exec(
        data.toString("latin1", at, close),
      )?.[2];
      const range = ref === undefined ? null : mergedRangeOf(ref);
      if (range) this.ranges.push(range);
    }
  }
}

/** Where the tag whose name is at `name` begins: its "<", before a prefix ("<x:mergeCell"). */
function tagStart(data: Buffer, name: number): number {
  let start = name - 1;
  if (data[start] === COLON) {
    start--;
    while (start > 0 && name - start < TAIL && isNameByte(data[start]!))
      start--;
  }
  return Math.max(start, 0);
}

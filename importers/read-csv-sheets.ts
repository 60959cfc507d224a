import { parse } from "csv-parse";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { basename, extname } from "node:path";
import { Transform } from "node:stream";
import type { ImportLimits } from "./import-limits.js";
import type {
  CellValue,
  SheetRow,
  WorkbookSheet,
} from "./read-workbook-sheets.js";
import { readTextEncoding, type TextEncoding } from "./text-encoding.js";

/** The separators a CSV file's fields may be split by. */
export const CSV_DELIMITERS = [",", ";", "\t"] as const;

/** The one sheet of a CSV file is named after the file, as Excel names it on opening: "tracker-2010-06.csv" → "tracker-2010-06". */
export function csvSheetName(file: string): string {
  const name = basename(file);
  return name.slice(0, name.length - extname(name).length) || name;
}

/** Thrown when a CSV file cannot be read as text (a line too long, a quote never closed). */
export class CsvReadError extends Error {}

/** Fields per line when split by `delimiter`, quotes respected, for the first lines of a file. */
function fieldCounts(sample: string, delimiter: string): number[] {
  const counts: number[] = [];
  let fields = 1;
  let quoted = false;
  let atFieldStart = true;
  for (let i = 0; i < sample.length; i++) {
    const c = sample[i]!;
    if (quoted) {
      if (c === '"') {
        if (sample[i + 1] === '"') i++;
        else quoted = false;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (c === delimiter) {
      fields++;
      atFieldStart = true;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && sample[i + 1] === "\n") i++;
      counts.push(fields);
      fields = 1;
      atFieldStart = true;
    } else atFieldStart = false;
  }
  return counts;
}

/**
 * The separator of a CSV file: the candidate that splits the most lines into the same number of
 * fields (two or more), weighted by that number, so that the table's rows decide and title lines
 * above it, or commas inside "£357,000" in a semicolon file, do not. Comma when nothing splits.
 */
export function sniffDelimiter(sample: string): string {
  let best: { delimiter: string; score: number } = {
    delimiter: ",",
    score: 0,
  };
  for (const delimiter of CSV_DELIMITERS) {
    const frequency = new Map<number, number>();
    for (const count of fieldCounts(sample, delimiter))
      if (count >= 2) frequency.set(count, (frequency.get(count) ?? 0) + 1);
    let score = 0;
    for (const [fields, lines] of frequency)
      score = Math.max(score, fields * lines);
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/** Decodes a byte stream into text in `encoding`, keeping characters split across chunks whole. */
function decoder(encoding: TextEncoding, skip: number): Transform {
  const text = new TextDecoder(encoding, { ignoreBOM: true });
  let toSkip = skip;
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done) {
      let bytes = chunk;
      if (toSkip > 0) {
        const cut = Math.min(toSkip, bytes.length);
        bytes = bytes.subarray(cut);
        toSkip -= cut;
      }
      done(null, text.decode(bytes, { stream: true }));
    },
    flush(done) {
      done(null, text.decode());
    },
  });
}

async function readSample(
  path: string,
  encoding: TextEncoding,
  skip: number,
): Promise<string> {
  const handle = await open(path, "r");
  try {
    const bytes = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, skip);
    // The last line may be cut short; it is dropped by fieldCounts (no line end).
    return new TextDecoder(encoding).decode(bytes.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * Reads a CSV file as one sheet named after the file (csvSheetName), in the shape every reader
 * yields, so that the header, title lines, coercion and problems are those of a worksheet: row N is
 * the file's Nth record (as Excel numbers it on opening; a quoted field may span lines), cell A is the
 * first field. Text is decoded as readTextEncoding decides; the separator is sniffed (comma,
 * semicolon or tab). Every cell is text, as a CSV holds it: the coercers read "£357,000" and
 * "01/04/2007" as they read them typed into a sheet. Streams: memory stays flat whatever the size,
 * and no record may be longer than `maxCsvRecordChars`.
 */
export async function* readCsvSheets(
  path: string,
  file: string,
  limits: ImportLimits,
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<WorkbookSheet> {
  const { encoding, bomBytes } = await readTextEncoding(path);
  const delimiter = sniffDelimiter(await readSample(path, encoding, bomBytes));
  const input = createReadStream(path, { highWaterMark: 1024 * 1024 });
  let bytesRead = 0;
  if (onBytes)
    input.on("data", (chunk) => {
      bytesRead += chunk.length;
      onBytes(bytesRead);
    });
  const parser = parse({
    delimiter,
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: limits.maxCsvRecordChars,
  });
  const records = input.pipe(decoder(encoding, bomBytes)).pipe(parser);
  input.on("error", (error) => parser.destroy(error));
  const sheet = csvSheetName(file);
  let number = 0;
  const iterator = (records as AsyncIterable<string[]>)[Symbol.asyncIterator]();
  const rows: AsyncIterator<SheetRow> & AsyncIterable<SheetRow> = {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      let next: IteratorResult<string[]>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw csvError(error, sheet, number + 1);
      }
      if (next.done) return { done: true, value: undefined };
      number++;
      const cells: CellValue[] = new Array<CellValue>(next.value.length);
      for (let c = 0; c < next.value.length; c++) {
        const value = next.value[c]!;
        cells[c] = value === "" ? null : value;
      }
      return { done: false, value: { number, cells } };
    },
  };
  try {
    yield { name: sheet, hidden: false, rows };
    for (let next = await rows.next(); !next.done;) next = await rows.next();
  } finally {
    input.destroy();
    parser.destroy();
  }
}

function csvError(error: unknown, sheet: string, row: number): CsvReadError {
  const code = (error as { code?: string }).code;
  if (code === "CSV_MAX_RECORD_SIZE")
    return new CsvReadError(
      `row ${row} of ${sheet} is longer than the importer accepts (a quote that is never closed makes the rest of the file one field): close the quote or split the line`,
    );
  if (code === "CSV_QUOTE_NOT_CLOSED")
    return new CsvReadError(
      `a quote opened in row ${row} of ${sheet} is never closed`,
    );
  return new CsvReadError(
    `row ${row} of ${sheet} could not be read as CSV (${error instanceof Error ? error.message : String(error)})`,
  );
}

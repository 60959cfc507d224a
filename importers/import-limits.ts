/**
 * The fixed limits within which a workbook is read. A hostile or broken file is refused by these
 * before it can exhaust memory or disk: an .xlsx is a zip, and a few megabytes can inflate to
 * gigabytes.
 */
export interface ImportLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Most entries (files) inside the zip. A real workbook has a few dozen. */
  maxZipEntries: number;
  /** Most bytes all entries may inflate to, declared or actually inflated. */
  maxInflatedBytes: number;
  /** Highest inflated-to-compressed ratio of one entry once it passes `ratioFloorBytes`. */
  maxCompressionRatio: number;
  /** Entries smaller than this when inflated are not held to the ratio (tiny XML compresses well). */
  ratioFloorBytes: number;
  /** Most rows one sheet may have. */
  maxRows: number;
  /** Most columns one sheet may have. */
  maxColumns: number;
  /**
   * Most characters one CSV record (a line, or several when a quoted field spans lines) may have:
   * a quote never closed would otherwise make the rest of the file one field held in memory.
   */
  maxCsvRecordChars: number;
  /**
   * Most memory, in MB, the worker reading the workbook may hold (its V8 old generation): a workbook
   * whose shared strings alone need more is refused instead of taking the hub's memory.
   */
  maxReaderHeapMb: number;
  /**
   * Workbooks of this many bytes or more (about 30,000 tracker rows) are read in a worker thread held
   * to `maxReaderHeapMb`; smaller ones, the usual monthly tracker, on the importing thread, which
   * starts sooner and whose heap they barely touch.
   */
  workerFromBytes: number;
  /**
   * Longest name (of a service, partnership, council, body, funder, and every other short field) in
   * characters: names are indexed, and PostgreSQL cannot index a value of more than about 2,700 bytes.
   */
  maxNameChars: number;
  /** Longest text in any other cell (notes, purposes, unknown columns): Excel's own cell limit. */
  maxTextChars: number;
  /**
   * Longest reading one workbook may take, in milliseconds: the file check, then the read itself
   * (each held to it). A million-row tracker takes about 20 s.
   */
  maxReadMs: number;
  /**
   * Longest the importer waits for the reader's next event (it reports every 5,000 rows), in
   * milliseconds: longer is a reader stuck on a damaged file, refused instead of waited for.
   */
  maxReadIdleMs: number;
}

/**
 * The defaults. 100 MB and 1,048,576 rows (Excel's own maximum) let a million-row tracker through;
 * 1 GiB inflated is about two and a half times what such a tracker inflates to; real worksheets
 * compress 5 to 30 times, so a ratio over 200 is a bomb, not a spreadsheet.
 */
export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxFileBytes: 100 * 1024 * 1024,
  maxZipEntries: 1_000,
  maxInflatedBytes: 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  ratioFloorBytes: 1024 * 1024,
  maxRows: 1_048_576,
  maxColumns: 500,
  maxCsvRecordChars: 1024 * 1024,
  maxReaderHeapMb: 64,
  workerFromBytes: 1024 * 1024,
  maxNameChars: 500,
  maxTextChars: 32_767,
  maxReadMs: 10 * 60 * 1000,
  maxReadIdleMs: 60 * 1000,
};

/**
 * The largest amount, in pence, one figure may be: £10bn. No shared service saves more in a year
 * (the largest council budgets are a few £bn), so a bigger figure is a typing or export error, and
 * the bound keeps every amount, and the sum of a million of them, far inside the database's
 * numeric(15,2) and a 64-bit integer of pence.
 */
export const MAX_AMOUNT_PENCE = 1_000_000_000_000n;

/** The same bound as written for an analyst. */
export const MAX_AMOUNT_TEXT = "£10,000,000,000";

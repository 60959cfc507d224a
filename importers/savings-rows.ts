import { MAX_AMOUNT_PENCE, MAX_AMOUNT_TEXT } from "./import-limits.js";
import { releaseArrayBuffer } from "./release-memory.js";
import { SavingsMeasure } from "../schema/savings-measure.js";

/** Measures in the order their index is stored. */
export const MEASURES: readonly SavingsMeasure[] = [
  SavingsMeasure.TARGET,
  SavingsMeasure.ESTIMATE,
  SavingsMeasure.FORECAST,
  SavingsMeasure.ACHIEVED,
];

/**
 * Figures handed from the reading worker to the writer: their own column arrays (transferred, not
 * copied) and the texts interned since the previous batch, so that each text crosses once.
 */
export interface SavingsBatch {
  length: number;
  row: Int32Array;
  column: Int32Array;
  service: Int32Array;
  partnership: Int32Array;
  council: Int32Array;
  year: Int16Array;
  measure: Uint8Array;
  cashable: Uint8Array;
  rag: Int32Array;
  pence: BigInt64Array;
  /** [index within the batch, JSON of the row's unknown columns]. */
  extra: [number, string][];
  texts: string[];
}

/** The column arrays of SavingsRows and of a batch, by name. */
const COLUMNS = [
  "row",
  "column",
  "service",
  "partnership",
  "council",
  "year",
  "measure",
  "cashable",
  "rag",
  "pence",
] as const;

/** What every column array can do, whatever its element type. */
interface ColumnArray {
  readonly length: number;
  readonly buffer: ArrayBufferLike;
  slice(start: number, end: number): ColumnArray;
  set(source: ColumnArray, offset?: number): void;
  copyWithin(target: number, start: number, end: number): unknown;
}

type Columns = Record<(typeof COLUMNS)[number], ColumnArray>;

/** The column arrays of a batch, to transfer with it. */
export function batchBuffers(batch: SavingsBatch): ArrayBuffer[] {
  const columns = batch as unknown as Columns;
  return COLUMNS.map((name) => columns[name].buffer as ArrayBuffer);
}

/**
 * Frees a batch's column arrays once its figures have been appended to the sheet's SavingsRows
 * (see releaseArrayBuffer): nothing reads a batch after that.
 */
export function releaseBatch(batch: SavingsBatch): void {
  for (const buffer of batchBuffers(batch)) releaseArrayBuffer(buffer);
}

/**
 * A sheet's savings figures held column by column in typed arrays (pence in a BigInt64Array),
 * with repeated texts (service, partnership, council, RAG) stored once: a million-row tracker takes
 * about 30 MB instead of hundreds.
 */
export class SavingsRows {
  length = 0;
  row = new Int32Array(1024);
  column = new Int32Array(1024);
  service = new Int32Array(1024);
  partnership = new Int32Array(1024);
  council = new Int32Array(1024);
  year = new Int16Array(1024);
  measure = new Uint8Array(1024);
  cashable = new Uint8Array(1024);
  rag = new Int32Array(1024);
  pence = new BigInt64Array(1024);
  /** JSON of the row's unknown columns, only for rows that have any. */
  readonly extra = new Map<number, string>();
  /** Interned texts; the arrays above hold indexes into these (-1 for none). */
  readonly texts: string[] = [];
  private readonly textIndex = new Map<string, number>();
  /** Texts already handed on in a batch. */
  private textsSent = 0;

  /** The index of a text in `texts`, adding it once. */
  intern(text: string | null): number {
    if (text === null) return -1;
    let index = this.textIndex.get(text);
    if (index === undefined) {
      index = this.texts.length;
      this.texts.push(text);
      this.textIndex.set(text, index);
    }
    return index;
  }

  /** The text at an index, or null for -1. */
  text(index: number): string | null {
    return index < 0 ? null : this.texts[index]!;
  }

  private get columns(): Columns {
    return this as unknown as Columns;
  }

  private grow(): void {
    const columns = this.columns;
    for (const name of COLUMNS) {
      const old = columns[name];
      const next = new (old.constructor as new (n: number) => ColumnArray)(
        old.length * 2,
      );
      next.set(old);
      columns[name] = next;
    }
  }

  /**
   * Hands on the figures added since the last batch and forgets them (the worker keeps one batch,
   * not the sheet); interned texts are kept so that indexes stay valid across batches.
   */
  takeBatch(): SavingsBatch {
    const n = this.length;
    const batch = {
      length: n,
      extra: [...this.extra],
      texts: this.texts.slice(this.textsSent),
    } as Partial<Columns> & Pick<SavingsBatch, "length" | "extra" | "texts">;
    for (const name of COLUMNS) batch[name] = this.columns[name].slice(0, n);
    this.textsSent = this.texts.length;
    this.length = 0;
    this.extra.clear();
    return batch as unknown as SavingsBatch;
  }

  /** Adds a batch taken from another SavingsRows that interned the same texts in the same order. */
  append(batch: SavingsBatch): void {
    for (const text of batch.texts) this.intern(text);
    while (this.length + batch.length > this.row.length) this.grow();
    const at = this.length;
    const from = batch as unknown as Columns;
    for (const name of COLUMNS) this.columns[name].set(from[name], at);
    for (const [i, json] of batch.extra) this.extra.set(at + i, json);
    this.length += batch.length;
  }

  /**
   * Drops the figures from `from` on whose flag in `drop` (indexed from `from`) is set, keeping the
   * others in order: figures already written need not be held until the end of the sheet.
   */
  drop(from: number, drop: Uint8Array): void {
    let to = from;
    for (let i = from; i < this.length; i++) {
      const extra = this.extra.get(i);
      this.extra.delete(i);
      if (drop[i - from]) continue;
      if (to !== i)
        for (const name of COLUMNS) this.columns[name].copyWithin(to, i, i + 1);
      if (extra !== undefined) this.extra.set(to, extra);
      to++;
    }
    this.length = to;
  }

  /** Whether every figure names its partnership. */
  allNamePartnership(): boolean {
    for (let i = 0; i < this.length; i++)
      if (this.partnership[i]! < 0) return false;
    return true;
  }

  /** Adds one figure. */
  push(figure: {
    row: number;
    column: number;
    service: string;
    partnership: string | null;
    council: string | null;
    year: number;
    measure: number;
    cashable: boolean;
    pence: bigint;
    rag: string | null;
    extra: string | null;
  }): void {
    // BigInt64Array would silently wrap a larger figure; readAmount never lets one through.
    if (figure.pence > MAX_AMOUNT_PENCE || figure.pence < -MAX_AMOUNT_PENCE)
      throw new RangeError(
        `${figure.pence} pence is beyond the ${MAX_AMOUNT_TEXT} bound of one figure`,
      );
    const i = this.length++;
    if (i >= this.row.length) this.grow();
    this.row[i] = figure.row;
    this.column[i] = figure.column;
    this.service[i] = this.intern(figure.service);
    this.partnership[i] = this.intern(figure.partnership);
    this.council[i] = this.intern(figure.council);
    this.year[i] = figure.year;
    this.measure[i] = figure.measure;
    this.cashable[i] = figure.cashable ? 1 : 0;
    this.rag[i] = this.intern(figure.rag);
    this.pence[i] = figure.pence;
    if (figure.extra !== null) this.extra.set(i, figure.extra);
  }
}

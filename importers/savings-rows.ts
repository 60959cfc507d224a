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

/** The column arrays of a batch, to transfer with it. */
export function batchBuffers(batch: SavingsBatch): ArrayBuffer[] {
  return [
    batch.row,
    batch.column,
    batch.service,
    batch.partnership,
    batch.council,
    batch.year,
    batch.measure,
    batch.cashable,
    batch.rag,
    batch.pence,
  ].map((a) => a.buffer as ArrayBuffer);
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

  private grow(): void {
    const grown = <T extends { length: number; set(a: T): void }>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const next = make(old.length * 2);
      next.set(old);
      return next;
    };
    this.row = grown(this.row, (n) => new Int32Array(n));
    this.column = grown(this.column, (n) => new Int32Array(n));
    this.service = grown(this.service, (n) => new Int32Array(n));
    this.partnership = grown(this.partnership, (n) => new Int32Array(n));
    this.council = grown(this.council, (n) => new Int32Array(n));
    this.year = grown(this.year, (n) => new Int16Array(n));
    this.measure = grown(this.measure, (n) => new Uint8Array(n));
    this.cashable = grown(this.cashable, (n) => new Uint8Array(n));
    this.rag = grown(this.rag, (n) => new Int32Array(n));
    this.pence = grown(this.pence, (n) => new BigInt64Array(n));
  }

  /**
   * Hands on the figures added since the last batch and forgets them (the worker keeps one batch,
   * not the sheet); interned texts are kept so that indexes stay valid across batches.
   */
  takeBatch(): SavingsBatch {
    const n = this.length;
    const batch: SavingsBatch = {
      length: n,
      row: this.row.slice(0, n),
      column: this.column.slice(0, n),
      service: this.service.slice(0, n),
      partnership: this.partnership.slice(0, n),
      council: this.council.slice(0, n),
      year: this.year.slice(0, n),
      measure: this.measure.slice(0, n),
      cashable: this.cashable.slice(0, n),
      rag: this.rag.slice(0, n),
      pence: this.pence.slice(0, n),
      extra: [...this.extra],
      texts: this.texts.slice(this.textsSent),
    };
    this.textsSent = this.texts.length;
    this.length = 0;
    this.extra.clear();
    return batch;
  }

  /** Adds a batch taken from another SavingsRows that interned the same texts in the same order. */
  append(batch: SavingsBatch): void {
    for (const text of batch.texts) this.intern(text);
    while (this.length + batch.length > this.row.length) this.grow();
    const at = this.length;
    this.row.set(batch.row, at);
    this.column.set(batch.column, at);
    this.service.set(batch.service, at);
    this.partnership.set(batch.partnership, at);
    this.council.set(batch.council, at);
    this.year.set(batch.year, at);
    this.measure.set(batch.measure, at);
    this.cashable.set(batch.cashable, at);
    this.rag.set(batch.rag, at);
    this.pence.set(batch.pence, at);
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
      if (to !== i) {
        this.row[to] = this.row[i]!;
        this.column[to] = this.column[i]!;
        this.service[to] = this.service[i]!;
        this.partnership[to] = this.partnership[i]!;
        this.council[to] = this.council[i]!;
        this.year[to] = this.year[i]!;
        this.measure[to] = this.measure[i]!;
        this.cashable[to] = this.cashable[i]!;
        this.rag[to] = this.rag[i]!;
        this.pence[to] = this.pence[i]!;
      }
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

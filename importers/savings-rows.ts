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

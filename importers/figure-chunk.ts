import type { Partnership } from "../schema/partnership.js";
import type { Service } from "../schema/service.js";
import { columnLetter } from "./locate-header.js";
import { binaryInt8Array, binaryIntArray } from "./bound-statement.js";
import type { SavingsRows } from "./savings-rows.js";

/** A chunk's figures as the arrays its statement binds (see CHUNK_ARRAYS in savings-figure-sql.ts). */
export interface FigureArrays {
  /** Column letters by column index, for the figures' cells. */
  columnLetters: string[];
  /** RAG texts by the chunk's own index. */
  ragTexts: string[];
  row: Buffer;
  col: Buffer;
  service_id: Buffer;
  partnership_id: Buffer;
  /** NULL for the partnership's total. */
  council_id: Buffer;
  year: Buffer;
  measure: Buffer;
  cashable: Buffer;
  pence: Buffer;
  /** Index into ragTexts, -1 for none. */
  rag: Buffer;
  /** JSON of each figure's unknown columns; null when no figure has any. */
  extra: (string | null)[] | null;
}

/**
 * Figures gathered for one statement, column by column in typed arrays, sent as binary PostgreSQL
 * arrays: a chunk of 16,384 figures costs the JavaScript heap a few small objects, so that a million
 * figures do not leave hundreds of megabytes of garbage behind.
 */
export class FigureChunk {
  private n = 0;
  private row = new Int32Array(1024);
  private column = new Int32Array(1024);
  /** Index into `services`: a service created for this chunk gets its id when the chunk is flushed. */
  private service = new Int32Array(1024);
  /** Council id, 0 for none. */
  private council = new Int32Array(1024);
  private year = new Int16Array(1024);
  private measure = new Int16Array(1024);
  private cashable = new Int16Array(1024);
  private rag = new Int32Array(1024);
  /** Pence as the 8 bytes of each int64, as SavingsRows holds them (native byte order). */
  private pence = new Uint8Array(1024 * 8);
  private source: { buffer: ArrayBufferLike; bytes: Uint8Array } | null = null;
  private readonly services: Service[] = [];
  private readonly serviceIndex = new Map<Service, number>();
  private readonly ragTexts: string[] = [];
  private readonly ragIndex = new Map<number, number>();
  private extra: (string | null)[] | null = null;
  private maxColumn = 0;

  get length(): number {
    return this.n;
  }

  private grow(): void {
    const twice = <T extends Int32Array | Int16Array | Uint8Array>(
      old: T,
    ): T => {
      const next = new (old.constructor as new (n: number) => T)(
        old.length * 2,
      );
      next.set(old as never);
      return next;
    };
    this.row = twice(this.row);
    this.column = twice(this.column);
    this.service = twice(this.service);
    this.council = twice(this.council);
    this.year = twice(this.year);
    this.measure = twice(this.measure);
    this.cashable = twice(this.cashable);
    this.rag = twice(this.rag);
    this.pence = twice(this.pence);
  }

  /** Adds figure `i` of `rows`, resolved to its service and council. */
  push(
    rows: SavingsRows,
    i: number,
    service: Service,
    councilId: number | null,
  ): void {
    const k = this.n++;
    if (k === this.row.length) this.grow();
    const column = rows.column[i]!;
    if (column > this.maxColumn) this.maxColumn = column;
    this.row[k] = rows.row[i]!;
    this.column[k] = column;
    let s = this.serviceIndex.get(service);
    if (s === undefined) {
      s = this.services.push(service) - 1;
      this.serviceIndex.set(service, s);
    }
    this.service[k] = s;
    this.council[k] = councilId ?? 0;
    this.year[k] = rows.year[i]!;
    this.measure[k] = rows.measure[i]!;
    this.cashable[k] = rows.cashable[i]!;
    // Copied as bytes: reading a BigInt64Array element would make a BigInt per figure.
    if (this.source?.buffer !== rows.pence.buffer)
      this.source = {
        buffer: rows.pence.buffer,
        bytes: new Uint8Array(rows.pence.buffer, rows.pence.byteOffset),
      };
    const from = this.source.bytes;
    for (let b = 0; b < 8; b++) this.pence[k * 8 + b] = from[i * 8 + b]!;
    const rag = rows.rag[i]!;
    let local = -1;
    if (rag >= 0) {
      local = this.ragIndex.get(rag) ?? -1;
      if (local < 0) {
        local = this.ragTexts.push(rows.text(rag)!) - 1;
        this.ragIndex.set(rag, local);
      }
    }
    this.rag[k] = local;
    const extra = rows.extra.get(i);
    if (extra !== undefined) {
      this.extra ??= new Array<string | null>(k).fill(null);
      this.extra[k] = extra;
    } else if (this.extra) this.extra[k] = null;
  }

  /** The ids of the services and councils the chunk's figures point at. */
  references(): { services: Set<number>; councils: Set<number> } {
    const councils = new Set<number>();
    for (let k = 0; k < this.n; k++)
      if (this.council[k]! > 0) councils.add(this.council[k]!);
    return {
      services: new Set(this.services.map((service) => service.id)),
      councils,
    };
  }

  /** The chunk as the arrays its statement binds. */
  arrays(): FigureArrays {
    const n = this.n;
    const ids = this.services.map((service) => service.id);
    const partnerships = this.services.map(
      (service) => (service.partnership as Partnership).id,
    );
    return {
      columnLetters: Array.from({ length: this.maxColumn + 1 }, (_, c) =>
        columnLetter(c),
      ),
      ragTexts: this.ragTexts,
      row: binaryIntArray("int4", n, (k) => this.row[k]!),
      col: binaryIntArray("int4", n, (k) => this.column[k]!),
      service_id: binaryIntArray("int4", n, (k) => ids[this.service[k]!]!),
      partnership_id: binaryIntArray(
        "int4",
        n,
        (k) => partnerships[this.service[k]!]!,
      ),
      council_id: binaryIntArray("int4", n, (k) => this.council[k] || null),
      year: binaryIntArray("int2", n, (k) => this.year[k]!),
      measure: binaryIntArray("int2", n, (k) => this.measure[k]!),
      cashable: binaryIntArray("int2", n, (k) => this.cashable[k]!),
      pence: binaryInt8Array(this.pence, n),
      rag: binaryIntArray("int4", n, (k) => this.rag[k]!),
      extra: this.extra,
    };
  }
}

import type { Partnership } from "../schema/partnership.js";
import type { Service } from "../schema/service.js";
import type { CouncilLookup } from "./council-lookup.js";
import { columnLetter } from "./locate-header.js";
import type { RecordCounts } from "./partnership-directory.js";
import { FigureChunk } from "./figure-chunk.js";
import type { SheetReading } from "./read-sheet-records.js";
import type { ReferencedKeys } from "./referenced-keys.js";
import type { SavingsRows } from "./savings-rows.js";
import {
  figureCouncilId,
  insertFigures,
  serviceInPartnership,
  serviceMemo,
  SpeculationFailed,
  stageAndApplyFigures,
  type SavingsSpeculation,
} from "./write-savings-figures.js";
import {
  sheetContextCodes,
  type SheetWriteContext,
} from "./write-sheet-records.js";
import { titleContextCodes } from "./title-context-codes.js";

/**
 * Writes a savings tracker's figures while the sheet is still being read, batch by batch, so that
 * PostgreSQL works while the reader parses. A figure is written as soon as its partnership, council
 * and submitter are decided from what has been read so far (the title lines, the partnership named,
 * the council texts met); the rest wait for the end of the sheet. There, the usual resolution over
 * the whole sheet must reach the same decisions (`verify`); if it does not, the file is imported
 * again without streaming, so the result is always the one the whole-sheet rules give. A period
 * with no figures yet (`fresh`, the usual monthly import) is written with plain INSERTs; a period
 * imported before is staged and written with the monthly rule, chunk by chunk.
 */
export class SavingsStream implements SavingsSpeculation {
  readonly services = new Map<number | string, Service | null>();
  streamed = 0;
  readonly councilRows = new Map<number, number>();
  blankCouncil = false;
  allNamePartnership = true;
  /** One bit per worksheet row that had a figure written. */
  private written = new Uint8Array(1024);
  /** Figures written (new) and updated (changed value) by the streamed statements. */
  created = 0;
  updated = 0;
  /** Figures inserted without staging (a fresh period's). */
  unstaged = 0;
  private readonly decided = new Map<number, string | null>();
  private readonly context: Set<string>;
  private lookup: CouncilLookup;
  private submitter: string | null | undefined;
  private readonly seen = new Set<string | null>();
  private readonly hasCouncilColumn: boolean;
  private readonly serviceColumn: string;
  /** The first figure not yet considered for the submitter, and for writing. */
  private scanned = 0;
  private next = 0;
  private pending: Promise<void> = Promise.resolve();
  private flushed: Promise<unknown> = Promise.resolve();
  private previous: Promise<void> = Promise.resolve();
  private failure: unknown = undefined;
  private createdRecords: number;

  private constructor(
    private readonly reading: SheetReading,
    private readonly write: SheetWriteContext,
    private readonly period: string,
    private readonly importRunId: number,
    private readonly counts: RecordCounts,
    private readonly sheetLevel: Partnership | null,
    private readonly keys: ReferencedKeys | null,
    private readonly fresh: boolean,
    context: string[],
  ) {
    this.context = new Set(context);
    this.lookup = write.lookup.withContext(this.context);
    this.hasCouncilColumn = reading.map.roles.get("council") !== undefined;
    this.serviceColumn = columnLetter(reading.map.roles.get("service")!);
    this.createdRecords = write.directory.created.length;
  }

  /**
   * Starts streaming a savings sheet whose header has been read, or returns null when nothing can be
   * decided before its end (a "Submitted by:" line naming no single council).
   */
  static start(
    reading: SheetReading,
    write: SheetWriteContext,
    period: string,
    importRunId: number,
    counts: RecordCounts,
    keys: ReferencedKeys | null,
    fresh: boolean,
  ): SavingsStream | null {
    const { directory, lookup } = write;
    const named = write.partnership ?? reading.title.partnership;
    const namedPartnership = named ? directory.findPartnership(named) : null;
    const titleTexts = [reading.title.partners, reading.title.submittedBy];
    const context = [
      ...sheetContextCodes(
        lookup,
        titleTexts.filter((t): t is string => !!t),
      ),
      ...titleContextCodes(lookup, reading.title),
      ...(namedPartnership ? directory.memberCodes(namedPartnership) : []),
    ];
    const sheetLevel = named
      ? directory.partnership(
          named,
          {
            sheet: reading.name,
            cell: reading.title.cells.partnership ?? `A${reading.headerRow}`,
          },
          counts,
        )
      : null;
    const stream = new SavingsStream(
      reading,
      write,
      period,
      importRunId,
      counts,
      sheetLevel,
      keys,
      fresh,
      context,
    );
    if (reading.title.submittedBy) {
      const gss = stream.decide(reading.title.submittedBy);
      if (gss === null) return null;
      stream.submitter = gss;
    }
    return stream;
  }

  /** The one council a text names, with the context read so far; null when that is not yet certain. */
  private decide(text: string): string | null {
    const own = sheetContextCodes(this.write.lookup, [text]);
    if (own.some((code) => !this.context.has(code))) {
      for (const code of own) this.context.add(code);
      this.lookup = this.write.lookup.withContext(this.context);
    }
    const readings = this.lookup.list(text);
    const only = readings.length === 1 ? readings[0]! : null;
    return only?.status === "resolved" ? only.council.gssCode : null;
  }

  private councilOf(key: number): string | null {
    let gss = this.decided.get(key);
    if (gss === undefined) {
      gss = this.decide(this.reading.savings.text(key)!);
      this.decided.set(key, gss);
    }
    return gss;
  }

  /**
   * Considers the figures appended since the last call: writes those that can be decided now in one
   * statement, which runs while the reader goes on and this thread prepares the next.
   */
  async take(): Promise<void> {
    // At most one statement runs and one waits: a writer slower than the reader holds the reader
    // back (through the batches it acknowledges) instead of piling up chunks in memory.
    await this.previous;
    await this.flushed;
    if (this.failure !== undefined) throw this.failure;
    const rows = this.reading.savings;
    if (this.submitter === undefined) {
      // A sheet whose rows name two different councils (or a council and none) is no one council's.
      for (; this.scanned < rows.length && this.seen.size < 2; this.scanned++) {
        const c = rows.council[this.scanned]!;
        const gss = c < 0 ? null : this.councilOf(c);
        if (c < 0 || gss !== null) this.seen.add(gss);
      }
      if (this.seen.size < 2) return;
      this.submitter = null;
    }
    const { directory, problems } = this.write;
    const sheet = this.reading.name;
    const chunk = new FigureChunk();
    const from = this.next;
    const dropped = new Uint8Array(rows.length - from);
    for (let i = from; i < rows.length; i++) {
      const p = rows.partnership[i]!;
      const c = rows.council[i]!;
      const gss = c < 0 ? this.submitter : this.councilOf(c);
      if (c >= 0 && gss === null) continue;
      const memo = serviceMemo(p, rows.service[i]!, c);
      let service = this.services.get(memo);
      if (service === undefined) {
        const source = { sheet, cell: `${this.serviceColumn}${rows.row[i]}` };
        const partnership =
          p >= 0
            ? directory.partnership(rows.text(p)!, source, this.counts)
            : this.sheetLevel;
        if (!partnership) continue;
        service = serviceInPartnership(
          directory,
          partnership,
          rows.text(rows.service[i]!)!,
          gss,
          source,
          this.counts,
        );
        this.services.set(memo, service);
      }
      if (!service || problems.rowIsInvalid(sheet, rows.row[i]!)) continue;
      this.noteWritten(rows, i);
      dropped[i - from] = 1;
      chunk.push(
        rows,
        i,
        service,
        figureCouncilId(
          c < 0 ? null : gss,
          c < 0,
          this.submitter,
          this.hasCouncilColumn,
          directory,
        ),
      );
    }
    rows.drop(from, dropped);
    this.next = rows.length;
    if (chunk.length === 0) return;
    // New partnerships and services get their ids from a flush just before the chunk's statement
    // (the chunk reads ids only then); the next take waits for that flush before creating more.
    const flush = directory.created.length !== this.createdRecords;
    this.createdRecords = directory.created.length;
    const reportedBy = this.submitter
      ? directory.councilIds.get(this.submitter)!
      : null;
    const flushed = this.pending.then(() =>
      flush ? this.write.em.flush() : undefined,
    );
    this.flushed = flushed.catch(() => undefined);
    const source = { sheet, period: this.period, reportedBy };
    this.previous = this.pending;
    this.pending = flushed
      .then(async () => {
        if (this.fresh) {
          const n = await insertFigures(
            this.write.em,
            chunk,
            source,
            this.importRunId,
            this.keys,
          );
          this.created += n;
          this.unstaged += n;
        } else {
          const written = await stageAndApplyFigures(
            this.write.em,
            chunk,
            source,
            this.importRunId,
            this.keys,
          );
          this.created += written.created;
          this.updated += written.updated;
        }
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      });
  }

  /** Records what the end of the sheet must know of a figure about to leave `rows`. */
  private noteWritten(rows: SavingsRows, i: number): void {
    this.streamed++;
    const c = rows.council[i]!;
    const row = rows.row[i]!;
    if (c < 0) this.blankCouncil = true;
    else if (!this.councilRows.has(c)) this.councilRows.set(c, row);
    if (rows.partnership[i]! < 0) this.allNamePartnership = false;
    if (row >> 3 >= this.written.length) {
      const grown = new Uint8Array(
        Math.max(this.written.length * 2, (row >> 3) + 1),
      );
      grown.set(this.written);
      this.written = grown;
    }
    this.written[row >> 3]! |= 1 << (row & 7);
  }

  /** Whether a figure of this worksheet row was written while streaming. */
  wroteRow(row: number): boolean {
    return ((this.written[row >> 3] ?? 0) & (1 << (row & 7))) !== 0;
  }

  /** Waits for the statement in flight; throws its error, if it failed. */
  async settle(): Promise<void> {
    await this.pending;
    if (this.failure !== undefined) throw this.failure;
  }

  verify(
    councilOf: ReadonlyMap<number, string | null>,
    submitter: string | null,
  ): void {
    for (const [key, gss] of this.decided)
      if (gss !== null && councilOf.get(key) !== gss)
        throw new SpeculationFailed(
          `"${this.reading.savings.text(key)}" was read as ${gss} while streaming but as ${councilOf.get(key) ?? "no council"} over the whole sheet`,
        );
    if (this.submitter !== undefined && this.submitter !== submitter)
      throw new SpeculationFailed(
        `the submitter was taken as ${this.submitter ?? "none"} while streaming but as ${submitter ?? "none"} over the whole sheet`,
      );
  }
}

import type { Partnership } from "../schema/partnership.js";
import type { Service } from "../schema/service.js";
import { columnLetter } from "./locate-header.js";
import type { RecordCounts } from "./partnership-directory.js";
import { FigureChunk } from "./figure-chunk.js";
import type { SavingsSheetReading } from "./sheet-reading.js";
import type { ReferencedKeys } from "./referenced-keys.js";
import {
  datedCouncilKey,
  type SavingsSheetResolver,
} from "./savings-sheet-resolver.js";
import {
  figureCouncilId,
  insertFigures,
  serviceInPartnership,
  serviceMemo,
  stageAndApplyFigures,
} from "./write-savings-figures.js";
import {
  decidedPartnership,
  type SheetWriteContext,
} from "./write-sheet-records.js";

/**
 * Writes a savings tracker's figures while the sheet is still being read, batch by batch, so that
 * PostgreSQL works while the reader parses. A figure is written as soon as the sheet's
 * SavingsSheetResolver is certain of its council, its partnership and the submitter (no later row
 * can change them); the rest wait for the end of the sheet, where the same resolver decides them.
 * A period with no figures yet (`fresh`, the usual monthly import) is written with plain INSERTs; a
 * period imported before is staged and written with the monthly rule, chunk by chunk.
 */
export class SavingsStream {
  /** Services resolved per (partnership, service, council) text triple (see serviceMemo). */
  readonly services = new Map<number | string, Service | null>();
  /** One bit per worksheet row that had a figure written. */
  private written = new Uint8Array(1024);
  /** Figures written (new) and updated (changed value) by the streamed statements. */
  created = 0;
  updated = 0;
  /** Figures inserted without staging (a fresh period's). */
  unstaged = 0;
  private readonly hasCouncilColumn: boolean;
  private readonly serviceColumn: string;
  private readonly sheetLevel: Partnership | null;
  /** The first figure not yet considered for writing. */
  private next = 0;
  private pending: Promise<void> = Promise.resolve();
  private flushed: Promise<unknown> = Promise.resolve();
  private previous: Promise<void> = Promise.resolve();
  private failure: unknown = undefined;
  private createdRecords: number;

  /** Starts streaming a savings sheet whose header has been read, with the sheet's resolver. */
  constructor(
    private readonly reading: SavingsSheetReading,
    private readonly write: SheetWriteContext,
    private readonly resolver: SavingsSheetResolver<Partnership>,
    private readonly period: string,
    private readonly importRunId: number,
    private readonly counts: RecordCounts,
    private readonly keys: ReferencedKeys | null,
    private readonly fresh: boolean,
  ) {
    this.hasCouncilColumn = reading.map.roles.get("council") !== undefined;
    this.serviceColumn = columnLetter(reading.map.roles.get("service")!);
    const named = resolver.partnership();
    this.sheetLevel = named
      ? (decidedPartnership(named, reading, write, new Set(), counts) ?? null)
      : null;
    this.createdRecords = write.directory.created.length;
  }

  /**
   * Considers the figures appended (and given to the resolver) since the last call: writes those
   * whose decisions are certain in one statement, which runs while the reader goes on and this
   * thread prepares the next.
   */
  async take(): Promise<void> {
    // At most one statement runs and one waits: a writer slower than the reader holds the reader
    // back (through the batches it acknowledges) instead of piling up chunks in memory.
    await this.previous;
    await this.flushed;
    if (this.failure !== undefined) throw this.failure;
    const rows = this.reading.savings;
    const submitter = this.resolver.submitter();
    if (submitter === undefined) return;
    const { directory, problems } = this.write;
    const sheet = this.reading.name;
    const chunk = new FigureChunk();
    const from = this.next;
    const dropped = new Uint8Array(rows.length - from);
    for (let i = from; i < rows.length; i++) {
      const p = rows.partnership[i]!;
      const c = datedCouncilKey(rows, i);
      const gss = c < 0 ? submitter : this.resolver.council(c);
      if (c >= 0 && !gss) continue;
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
          gss ?? null,
          source,
          this.counts,
        );
        this.services.set(memo, service);
      }
      if (!service || problems.rowIsInvalid(sheet, rows.row[i]!)) continue;
      this.noteWritten(rows.row[i]!);
      dropped[i - from] = 1;
      chunk.push(
        rows,
        i,
        service,
        figureCouncilId(
          c < 0 ? null : gss!,
          c < 0,
          submitter,
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
    const reportedBy = submitter ? directory.councilIds.get(submitter)! : null;
    const flushed = this.pending.then(() =>
      flush ? this.write.em.flush() : undefined,
    );
    this.flushed = flushed.catch(() => undefined);
    const source = {
      sheet,
      period: this.period,
      reportedBy,
      fromServiceList: false,
    };
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

  /** Records that a figure of this worksheet row was written (its row may be found invalid later). */
  private noteWritten(row: number): void {
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
}

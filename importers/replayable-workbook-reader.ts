import type {
  ReaderKnows,
  Reported,
  WorkbookReader,
} from "./read-workbook-events.js";
import type { SheetAnswers } from "./read-sheet-records.js";

/**
 * A workbook reader that the next pass of an import can read on from, while the pass before it took
 * nothing but what a reader reports before any sheet's content: sheets, shapes, headers, progress.
 * An import that finds at a header that it must change the directory (it creates the sheet's
 * partnership, or the sheet is a service list) rolls back and starts again holding the exclusive
 * import lock (NeedsExclusiveImportLock); that pass is given these events again and then the reader's
 * next ones, instead of reading the workbook again from its first byte, which for an .xlsx whose
 * worksheet comes before its shared strings (exceljs's own writer puts it there) meant inflating the
 * whole worksheet once more before its header. Once a pass has taken a batch of figures or a sheet's
 * records (what it writes from), the reader can no longer be handed on: a new pass needs a new read.
 * Reading it again is the same as a fresh read of the file: the reader's events depend on the file
 * and the answers it was given (the first sheet's remembered answers, which the import keeps), not
 * on the database. The read's time bound (`maxReadMs`) runs on while the next pass waits for its lock.
 */
export class ReplayableWorkbookReader implements WorkbookReader {
  /** The events taken so far, while all of them can be told again. */
  private readonly told: Reported[] = [];
  private source: AsyncGenerator<Reported> | null = null;
  private replayable = true;
  private finished = false;
  /** Whether the reader has been answered (a shape that asks is answered once, by the first pass). */
  private answered = false;

  constructor(private readonly reader: WorkbookReader) {}

  /** Whether a pass that stops now may hand this reader to the next, which is told every event again. */
  get canReadOn(): boolean {
    return this.replayable && !this.finished;
  }

  /**
   * The reader's events: on a second call (a pass reading on), those already told, then the next.
   * A shape already answered is told again without asking: the reader reads on with that answer.
   */
  async *events(knows?: ReaderKnows): AsyncGenerator<Reported> {
    const again = this.source !== null;
    if (again && !this.canReadOn)
      throw new Error("this workbook reader can no longer be read again");
    this.source ??= this.reader.events(knows);
    let stopped = true;
    try {
      if (again)
        for (const reported of [...this.told])
          yield this.answered && reported.event.type === "shape"
            ? {
                ...reported,
                event: { type: "shape", shape: reported.event.shape },
              }
            : reported;
      for (;;) {
        const next = await this.source.next();
        if (next.done) break;
        const type = next.value.event.type;
        if (type === "savings" || type === "end") {
          this.replayable = false;
          this.told.length = 0;
        } else if (this.replayable) this.told.push(next.value);
        if (type === "done" || type === "failed") this.finished = true;
        yield next.value;
      }
      stopped = false;
    } finally {
      this.finished ||= !stopped;
      // Kept open for the next pass while it can read on; else the reader stops (its worker ends).
      if (!this.canReadOn) await this.source.return(undefined);
    }
  }

  start(knows: ReaderKnows): void {
    this.reader.start(knows);
  }

  answer(answers: SheetAnswers | null): void {
    if (this.answered) return;
    this.answered = true;
    this.reader.answer(answers);
  }

  async stop(): Promise<void> {
    this.replayable = false;
    await this.source?.return(undefined);
    await this.reader.stop();
  }
}

import type { SavingsMeasure } from "../schema/savings-measure.js";
import type { SheetKind } from "./header-synonyms.js";
import type { XlsxMergedRanges } from "./guard-workbook-file.js";
import type { ImportLimits } from "./import-limits.js";
import { ProblemCollector, type ImportProblem } from "./import-problem.js";
import type { MappingProfile } from "./mapping-profile.js";
import { readSheetTables, type SheetAnswers } from "./read-sheet-records.js";
import { readWorkbookFileSheets } from "./read-workbook-file-sheets.js";
import { WorkbookReadIncomplete } from "./workbook-read-incomplete.js";
import type { SavingsBatch } from "./savings-rows.js";
import {
  isSavingsReading,
  withoutFigures,
  type SheetHeader,
} from "./sheet-reading.js";
import { SheetTooLarge } from "./sheet-row-source.js";
import { sheetShape, type SheetShape } from "./workbook-shape.js";

/** What the reader of a workbook is given. */
export interface ReadWorkerInput {
  path: string;
  /** The name problems carry. */
  file: string;
  kind?: SheetKind;
  profile?: MappingProfile;
  /** `--measure`: the measure of figures the workbook gives none for. */
  measure?: SavingsMeasure;
  limits: ImportLimits;
  batchRows: number;
  /**
   * Wait, once the first sheet's shape is told (its "shape" event `asks`), for the answers to read
   * the workbook with from then on (WorkbookReader.answer): remembered answers are looked up by it,
   * so that a file of a remembered layout is read once, with them.
   */
  asksAnswers?: boolean;
  /** An .xlsx's merged ranges, as the guard found them (GuardedFile.mergedRanges). */
  mergedRanges?: XlsxMergedRanges;
}

/** What the guard learnt of the file that its reader is told when it starts reading. */
export type ReaderKnows = Pick<ReadWorkerInput, "mergedRanges">;

/** What the reader reports, in workbook order. */
export type ReadEvent =
  /** A sheet starts; told again, with the same name, for each further table on it. */
  | { type: "sheet"; name: string; hidden: boolean }
  /**
   * The sheet's part of the workbook's shape (see workbook-shape.ts), for every sheet, hidden ones
   * included, told before the sheet is read on; `asks`: the reader waits for WorkbookReader.answer.
   */
  | { type: "shape"; shape: SheetShape; asks?: boolean }
  /** A recognised sheet's kind, columns and title lines, before its rows. */
  | { type: "header"; reading: SheetHeader }
  | { type: "savings"; batch: SavingsBatch }
  /** The sheet's records (service, governance and funding lists); null for an unknown sheet. */
  | { type: "end"; reading: SheetHeader | null }
  | { type: "progress"; rows: number; bytesRead: number }
  | { type: "done" }
  /** `incomplete`: the zip was read short twice (WorkbookReadIncomplete), a fault of the reading, not of the file. */
  | {
      type: "failed";
      tooLarge: boolean;
      message: string;
      incomplete?: boolean;
    };

/** Figures per batch: big enough that a statement's overhead is small, small enough to stay a few MB. */
export const READ_BATCH_ROWS = 16_384;

/** An event with the problems met before it. */
export interface Reported {
  event: ReadEvent;
  problems: ImportProblem[];
}

/** A workbook being read: in a worker thread (WorkbookReaderThread) or on this one. */
export interface WorkbookReader {
  /**
   * What is read, in order; a savings batch counts as taken when the next event is asked for.
   * `knows`: what the guard learnt of the file since the reader was started.
   */
  events(knows?: ReaderKnows): AsyncGenerator<Reported>;
  /**
   * May start reading now, with what the guard learnt (it has let the file through), so that a
   * worker reads while the import takes its locks and loads what it decides against; events come
   * once asked for, and at most BATCHES_AHEAD batches of figures are read before then. `events`
   * starts the reading (with its `knows`) if it has not started.
   */
  start(knows: ReaderKnows): void;
  /** Stops reading (if it has not finished). */
  stop(): Promise<void>;
  /** Answers a "shape" event that `asks`: null reads on as given. */
  answer(answers: SheetAnswers | null): void;
}

/** The reader's input with answers to read on with (null: as it is). */
export function withAnswers(
  input: ReadWorkerInput,
  answers: SheetAnswers | null,
): ReadWorkerInput {
  return answers ? { ...input, ...answers } : input;
}

/** One answer to wait for, given by whoever reads the events (see ReadWorkerInput.asksAnswers). */
export class AnswerWait {
  private resolve: ((answers: SheetAnswers | null) => void) | null = null;
  private given: { answers: SheetAnswers | null } | null = null;

  /** The answer, once given. */
  wait(): Promise<SheetAnswers | null> {
    if (this.given) return Promise.resolve(this.given.answers);
    return new Promise((resolve) => (this.resolve = resolve));
  }

  give(answers: SheetAnswers | null): void {
    this.given = { answers };
    this.resolve?.(answers);
  }
}

/** Collects problems like the main collector and keeps the new ones to send with the next event. */
class ForwardingCollector extends ProblemCollector {
  outbox: ImportProblem[] = [];

  override add(input: Parameters<ProblemCollector["add"]>[0]): ImportProblem {
    const problem = super.add(input);
    this.outbox.push(problem);
    return problem;
  }
}

/**
 * The reading stages of one workbook (stream sheets, locate header, map, coerce), reported as events
 * through `send`, which may hold the reader back (it is awaited after each batch of figures).
 * Ends with "done" or "failed"; never throws.
 */
export async function readWorkbookEvents(
  given: ReadWorkerInput,
  send: (reported: Reported) => Promise<void> | void,
  signal?: AbortSignal,
  answered?: () => Promise<SheetAnswers | null>,
): Promise<void> {
  let input = given;
  let asks = (input.asksAnswers ?? false) && answered !== undefined;
  // The shape is told before the sheet is read on; the first one may be answered (see asksAnswers).
  const tellShape = async (shape: SheetShape) => {
    await report({ type: "shape", shape, ...(asks ? { asks: true } : {}) });
    if (!asks) return null;
    asks = false;
    const answers = await answered!();
    input = withAnswers(input, answers);
    return answers;
  };
  const problems = new ForwardingCollector(input.file);
  const report = (event: ReadEvent) => {
    const outbox = problems.outbox;
    problems.outbox = [];
    return send({ event, problems: outbox });
  };
  let bytesRead = 0;
  let rows = 0;
  try {
    for await (const sheet of readWorkbookFileSheets(
      input.path,
      input.file,
      input.limits,
      (bytes) => {
        bytesRead = bytes;
      },
      signal,
      input.mergedRanges,
    )) {
      await report({ type: "sheet", name: sheet.name, hidden: sheet.hidden });
      if (sheet.hidden) {
        await tellShape(sheetShape(sheet.name, []));
        continue;
      }
      const tables = readSheetTables(
        sheet,
        {
          ...(input.kind ? { kind: input.kind } : {}),
          ...(input.profile ? { profile: input.profile } : {}),
          ...(input.measure ? { measure: input.measure } : {}),
          limits: input.limits,
          savingsBatchRows: input.batchRows,
          onTopRows: (top) => tellShape(sheetShape(sheet.name, top)),
          onRow: () => {
            if (++rows % 5000 === 0)
              void report({ type: "progress", rows, bytesRead });
          },
          onHeader: (header) =>
            void report({ type: "header", reading: withoutFigures(header) }),
          onSavings: async (read) =>
            report({ type: "savings", batch: read.savings.takeBatch() }),
        },
        problems,
      );
      for await (const { reading, more } of tables) {
        if (reading && isSavingsReading(reading) && reading.savings.length > 0)
          await report({ type: "savings", batch: reading.savings.takeBatch() });
        await report({
          type: "end",
          reading: reading ? withoutFigures(reading) : null,
        });
        // A second table on the sheet is told as a sheet of the same name.
        if (more)
          await report({ type: "sheet", name: sheet.name, hidden: false });
      }
    }
    await report({ type: "progress", rows, bytesRead });
    await report({ type: "done" });
  } catch (error) {
    await report({
      type: "failed",
      tooLarge: error instanceof SheetTooLarge,
      ...(error instanceof WorkbookReadIncomplete ? { incomplete: true } : {}),
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

function seconds(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0
    ? `${ms / 60_000} minute${ms === 60_000 ? "" : "s"}`
    : `${(ms / 1000).toLocaleString("en-GB", { maximumFractionDigits: 1 })} s`;
}

/** How many batches of figures the reader may be ahead of the writer. */
const BATCHES_AHEAD = 2;

/**
 * Holds a reader back while the writer has not taken all but BATCHES_AHEAD of the batches handed
 * on, so that batches never pile up in memory.
 */
export class BatchGate {
  private untaken = 0;
  private open = false;
  private resume: (() => void) | null = null;

  /** After handing on a batch: waits while the writer is too far behind. */
  async handedOn(): Promise<void> {
    this.untaken++;
    while (this.untaken > BATCHES_AHEAD && !this.open)
      await new Promise<void>((resolve) => (this.resume = resolve));
    this.resume = null;
  }

  /** The writer took a batch. */
  taken(): void {
    this.untaken--;
    this.resume?.();
  }

  /** Lets the reader run on: its consumer has gone. */
  release(): void {
    this.open = true;
    this.resume?.();
  }
}

/** Reported events waiting for their consumer, in order. */
export class ReportQueue {
  private readonly items: Reported[] = [];
  private closed = false;
  private wake: (() => void) | null = null;

  push(item: Reported): void {
    this.items.push(item);
    this.wake?.();
  }

  /** The reader has ended (its last event, if any, is pushed). */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  /**
   * Yields the events up to "done" or "failed" (a "failed" of its own when the reader ended without
   * either), calling `taken` once the consumer asks for the event after a batch of figures. The
   * read is held to `limits`: a "failed" when the consumer has waited `maxReadIdleMs` for the next
   * event (the reader is stuck, say on a zip entry whose bytes never come), or when reading has
   * taken `maxReadMs` in all.
   */
  async *drain(
    taken: () => void,
    limits: Pick<ImportLimits, "maxReadMs" | "maxReadIdleMs">,
  ): AsyncGenerator<Reported> {
    const deadline = Date.now() + limits.maxReadMs;
    const failed = (message: string): Reported => ({
      event: { type: "failed", tooLarge: false, message },
      problems: [],
    });
    const tooLong = `reading it took more than the ${seconds(limits.maxReadMs)} an import may take`;
    for (;;) {
      if (Date.now() >= deadline) {
        yield failed(tooLong);
        return;
      }
      const item = this.items.shift();
      if (!item) {
        if (this.closed) {
          yield failed("the reader stopped unexpectedly");
          return;
        }
        const untilDeadline = deadline - Date.now();
        // Which bound the wait is for decides the message: a timer may fire a millisecond before
        // Date.now() reaches the deadline, which is no idle reader.
        const waitsForDeadline = untilDeadline <= limits.maxReadIdleMs;
        const wait = Math.min(limits.maxReadIdleMs, untilDeadline);
        let timer: NodeJS.Timeout | undefined;
        const woken = await new Promise<boolean>((resolve) => {
          this.wake = () => resolve(true);
          timer = setTimeout(() => resolve(false), Math.max(wait, 0));
        });
        clearTimeout(timer);
        this.wake = null;
        if (!woken && this.items.length === 0 && !this.closed) {
          yield failed(
            waitsForDeadline
              ? tooLong
              : `reading it stopped for ${seconds(limits.maxReadIdleMs)} without getting further, as a damaged zip or sheet makes it do`,
          );
          return;
        }
        continue;
      }
      yield item;
      if (item.event.type === "savings") taken();
      if (item.event.type === "done" || item.event.type === "failed") return;
    }
  }
}

/** Thrown inside the reading when its consumer has gone. */
class Stopped extends Error {}

/**
 * A small workbook read on this thread: no worker to start, and its garbage is small. Events queue
 * up to two batches of figures ahead of the consumer, as with the worker.
 */
export class InProcessWorkbookReader implements WorkbookReader {
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly answers = new AnswerWait();

  constructor(private readonly input: ReadWorkerInput) {}

  answer(answers: SheetAnswers | null): void {
    this.answers.give(answers);
  }

  /**
   * Does nothing: this thread's reading begins when its events are asked for. Begun sooner, it would
   * only share this thread with the import's setup, and a small workbook's read is short.
   */
  start(): void {}

  async *events(knows: ReaderKnows = {}): AsyncGenerator<Reported> {
    const queue = new ReportQueue();
    const gate = new BatchGate();
    const reading = readWorkbookEvents(
      { ...this.input, ...knows },
      async (reported) => {
        const batch = reported.event.type === "savings";
        // Once the consumer has gone, the reading stops at its next batch.
        if (this.stopped) {
          if (batch) throw new Stopped();
          return;
        }
        queue.push(reported);
        if (batch) await gate.handedOn();
      },
      this.abort.signal,
      () => this.answers.wait(),
    ).finally(() => queue.close());
    try {
      yield* queue.drain(() => gate.taken(), this.input.limits);
    } finally {
      this.stopped = true;
      gate.release();
      this.abort.abort();
      // A read stuck for good (its zip waits for bytes that never come) is not waited for: its file
      // is closed by the abort, and nothing of it is used.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        reading.catch(() => undefined),
        new Promise((resolve) => (timer = setTimeout(resolve, 1000))),
      ]);
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
  }
}

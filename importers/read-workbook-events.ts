import type { SheetKind } from "./header-synonyms.js";
import type { ImportLimits } from "./import-limits.js";
import { ProblemCollector, type ImportProblem } from "./import-problem.js";
import type { MappingProfile } from "./mapping-profile.js";
import {
  readSheetRecords,
  SheetTooLarge,
  type SheetReading,
} from "./read-sheet-records.js";
import { readWorkbookSheets } from "./read-workbook-sheets.js";
import type { SavingsBatch } from "./savings-rows.js";

/** What the reader of a workbook is given. */
export interface ReadWorkerInput {
  path: string;
  /** The name problems carry. */
  file: string;
  kind?: SheetKind;
  profile?: MappingProfile;
  limits: ImportLimits;
  batchRows: number;
}

/** A sheet as read, without its figures (they come as batches). */
export type SheetHeader = Omit<SheetReading, "savings"> & {
  savings?: undefined;
};

/** What the reader reports, in workbook order. */
export type ReadEvent =
  | { type: "sheet"; name: string; hidden: boolean }
  /** A recognised sheet's kind, columns and title lines, before its rows. */
  | { type: "header"; reading: SheetHeader }
  | { type: "savings"; batch: SavingsBatch }
  /** The sheet's records (service, governance and funding lists); null for an unknown sheet. */
  | { type: "end"; reading: SheetHeader | null }
  | { type: "progress"; rows: number; bytesRead: number }
  | { type: "done" }
  | { type: "failed"; tooLarge: boolean; message: string };

/** Figures per batch: big enough that a statement's overhead is small, small enough to stay a few MB. */
export const READ_BATCH_ROWS = 16_384;

/** An event with the problems met before it. */
export interface Reported {
  event: ReadEvent;
  problems: ImportProblem[];
}

/** A workbook being read: in a worker thread (WorkbookReaderThread) or on this one. */
export interface WorkbookReader {
  /** What is read, in order; a savings batch counts as taken when the next event is asked for. */
  events(): AsyncGenerator<Reported>;
  /** Stops reading (if it has not finished). */
  stop(): Promise<void>;
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
  input: ReadWorkerInput,
  send: (reported: Reported) => Promise<void> | void,
): Promise<void> {
  const problems = new ForwardingCollector(input.file);
  const report = (event: ReadEvent) => {
    const outbox = problems.outbox;
    problems.outbox = [];
    return send({ event, problems: outbox });
  };
  let bytesRead = 0;
  let rows = 0;
  try {
    for await (const sheet of readWorkbookSheets(input.path, (bytes) => {
      bytesRead = bytes;
    })) {
      await report({ type: "sheet", name: sheet.name, hidden: sheet.hidden });
      if (sheet.hidden) continue;
      const reading = await readSheetRecords(
        sheet,
        {
          ...(input.kind ? { kind: input.kind } : {}),
          ...(input.profile ? { profile: input.profile } : {}),
          limits: input.limits,
          savingsBatchRows: input.batchRows,
          onRow: () => {
            if (++rows % 5000 === 0)
              void report({ type: "progress", rows, bytesRead });
          },
          onHeader: (header) =>
            void report({
              type: "header",
              reading: { ...header, savings: undefined },
            }),
          onSavings: async (read) =>
            report({ type: "savings", batch: read.savings.takeBatch() }),
        },
        problems,
      );
      if (reading && reading.savings.length > 0)
        await report({ type: "savings", batch: reading.savings.takeBatch() });
      await report({
        type: "end",
        reading: reading ? { ...reading, savings: undefined } : null,
      });
    }
    await report({ type: "progress", rows, bytesRead });
    await report({ type: "done" });
  } catch (error) {
    await report({
      type: "failed",
      tooLarge: error instanceof SheetTooLarge,
      message: error instanceof Error ? error.message : String(error),
    });
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

  constructor(private readonly input: ReadWorkerInput) {}

  async *events(): AsyncGenerator<Reported> {
    const queue: Reported[] = [];
    // Who waits: the consumer for an event, the reading for the consumer to take batches.
    const waiting: { wake?: () => void; resume?: () => void } = {};
    let untaken = 0;
    let finished = false;
    const reading = readWorkbookEvents(this.input, async (reported) => {
      const batch = reported.event.type === "savings";
      // Once the consumer has gone, the reading stops at its next batch.
      if (this.stopped) {
        if (batch) throw new Stopped();
        return;
      }
      queue.push(reported);
      waiting.wake?.();
      if (!batch) return;
      untaken++;
      while (untaken > 2 && !this.stopped)
        await new Promise<void>((resolve) => (waiting.resume = resolve));
    }).finally(() => {
      finished = true;
      waiting.wake?.();
    });
    try {
      for (;;) {
        const item = queue.shift();
        if (!item) {
          if (finished) return;
          await new Promise<void>((resolve) => (waiting.wake = resolve));
          delete waiting.wake;
          continue;
        }
        yield item;
        if (item.event.type === "savings") {
          untaken--;
          waiting.resume?.();
          delete waiting.resume;
        }
        if (item.event.type === "done" || item.event.type === "failed") return;
      }
    } finally {
      this.stopped = true;
      waiting.resume?.();
      await reading.catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }
}

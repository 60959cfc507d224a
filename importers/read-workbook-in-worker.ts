import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import {
  ReportQueue,
  type ReaderKnows,
  type ReadWorkerInput,
  type Reported,
  type WorkbookReader,
} from "./read-workbook-events.js";
import type { SheetAnswers } from "./read-sheet-records.js";

/**
 * The reading worker's young generation, in MB. exceljs makes a great deal of short-lived garbage;
 * a young generation this size lets most of it die there, so that old-generation collections (and
 * the heap V8 keeps for them) stay small. The old generation's limit is `maxReaderHeapMb`.
 */
const READER_YOUNG_GENERATION_MB = 48;

/** Thrown (as "failed") when the worker ran out of its heap. */
const OUT_OF_MEMORY = "ERR_WORKER_OUT_OF_MEMORY";

function workerFile(): URL {
  // Built code runs the worker next to this file; tests run the TypeScript sources, whose worker is
  // the build's (`npm test` builds first).
  const here = new URL(import.meta.url);
  if (here.pathname.endsWith(".js"))
    return new URL("./read-workbook-worker.js", here);
  const built = new URL("../dist/importers/read-workbook-worker.js", here);
  if (!existsSync(fileURLToPath(built)))
    throw new Error(
      "dist/importers/read-workbook-worker.js is missing: run `npm run build` first.",
    );
  return built;
}

/**
 * A worker thread that reads one workbook. It is started early, so that it loads its modules while
 * the file is checked and the transaction opens, and reads only once started (`start`, or `events()`).
 */
export class WorkbookReaderThread implements WorkbookReader {
  private readonly worker: Worker;
  private readonly queue = new ReportQueue();

  constructor(private readonly input: ReadWorkerInput) {
    this.worker = new Worker(workerFile(), {
      workerData: input,
      resourceLimits: {
        maxOldGenerationSizeMb: input.limits.maxReaderHeapMb,
        maxYoungGenerationSizeMb: READER_YOUNG_GENERATION_MB,
      },
    });
    this.worker.on("message", (reported: Reported) =>
      this.queue.push(reported),
    );
    this.worker.on("error", (error: Error & { code?: string }) =>
      this.queue.push({
        event: {
          type: "failed",
          tooLarge: error.code === OUT_OF_MEMORY,
          message: error.message,
        },
        problems: [],
      }),
    );
    this.worker.on("exit", () => this.queue.close());
  }

  /**
   * What the worker reports, each event with the problems met before it. A savings batch is
   * acknowledged when the caller asks for the next event, which is what holds the worker back when
   * the writer is slower than the reader. Breaking off stops the worker.
   */
  private started = false;

  start(knows: ReaderKnows): void {
    if (this.started) return;
    this.started = true;
    this.worker.postMessage({ start: knows });
  }

  async *events(knows: ReaderKnows = {}): AsyncGenerator<Reported> {
    this.start(knows);
    try {
      yield* this.queue.drain(
        () => this.worker.postMessage("ack"),
        this.input.limits,
      );
    } finally {
      await this.stop();
    }
  }

  answer(answers: SheetAnswers | null): void {
    this.worker.postMessage({ answers });
  }

  /** Stops the worker (if it is still running). */
  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SheetKind } from "./header-synonyms.js";
import type { ImportLimits } from "./import-limits.js";
import type { ImportProblem } from "./import-problem.js";
import type { MappingProfile } from "./mapping-profile.js";
import type { SheetReading } from "./read-sheet-records.js";
import type { SavingsBatch } from "./savings-rows.js";

/** What the reading worker is given. */
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

/** What the reading worker reports, in workbook order. */
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

/**
 * The reading worker's young generation, in MB. exceljs makes a great deal of short-lived garbage;
 * a young generation this size lets most of it die there, so that old-generation collections (and
 * the heap V8 keeps for them) stay small. The old generation's limit is `maxReaderHeapMb`.
 */
const READER_YOUNG_GENERATION_MB = 32;

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
 * Reads a workbook in a worker thread and yields what it reports, each event with the problems met
 * before it. A savings batch is acknowledged when the caller asks for the next event, which is what
 * holds the worker back when the writer is slower than the reader. Breaking off stops the worker.
 */
export async function* readWorkbookInWorker(
  input: ReadWorkerInput,
): AsyncGenerator<{ event: ReadEvent; problems: ImportProblem[] }> {
  const worker = new Worker(workerFile(), {
    workerData: input,
    resourceLimits: {
      maxOldGenerationSizeMb: input.limits.maxReaderHeapMb,
      maxYoungGenerationSizeMb: READER_YOUNG_GENERATION_MB,
    },
  });
  const queue: { event: ReadEvent; problems: ImportProblem[] }[] = [];
  let wake: (() => void) | null = null;
  let finished = false;
  const push = (item: { event: ReadEvent; problems: ImportProblem[] }) => {
    queue.push(item);
    wake?.();
  };
  worker.on("message", (message: ReadEvent & { problems: ImportProblem[] }) => {
    const { problems, ...event } = message;
    push({ event: event as ReadEvent, problems });
  });
  worker.on("error", (error: Error & { code?: string }) =>
    push({
      event: {
        type: "failed",
        tooLarge: error.code === OUT_OF_MEMORY,
        message: error.message,
      },
      problems: [],
    }),
  );
  worker.on("exit", () => {
    finished = true;
    wake?.();
  });
  try {
    for (;;) {
      const item = queue.shift();
      if (!item) {
        if (finished) {
          yield {
            event: {
              type: "failed",
              tooLarge: false,
              message: "the reader stopped unexpectedly",
            },
            problems: [],
          };
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        continue;
      }
      yield item;
      if (item.event.type === "savings") worker.postMessage("ack");
      if (item.event.type === "done" || item.event.type === "failed") return;
    }
  } finally {
    await worker.terminate();
  }
}

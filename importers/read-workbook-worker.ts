import { parentPort, workerData } from "node:worker_threads";
import { ProblemCollector, type ImportProblem } from "./import-problem.js";
import { readSheetRecords, SheetTooLarge } from "./read-sheet-records.js";
import { readWorkbookSheets } from "./read-workbook-sheets.js";
import { batchBuffers } from "./savings-rows.js";
import type { ReadEvent, ReadWorkerInput } from "./read-workbook-in-worker.js";

// The reading stages (stream sheets, locate header, map, coerce) of one workbook, in a worker thread
// with a bounded heap: exceljs's garbage stays here, and the main thread writes one batch of figures
// to PostgreSQL while this one reads the next.

/** Collects problems like the main collector and keeps the new ones to send with the next event. */
class ForwardingCollector extends ProblemCollector {
  outbox: ImportProblem[] = [];

  override add(input: Parameters<ProblemCollector["add"]>[0]): ImportProblem {
    const problem = super.add(input);
    this.outbox.push(problem);
    return problem;
  }
}

const port = parentPort!;
const input = workerData as ReadWorkerInput;
const problems = new ForwardingCollector(input.file);
let unacknowledged = 0;
let acknowledged: (() => void) | null = null;
port.on("message", (message: unknown) => {
  if (message !== "ack") return;
  unacknowledged--;
  acknowledged?.();
});

function post(event: ReadEvent, transfer: ArrayBuffer[] = []): void {
  const outbox = problems.outbox;
  problems.outbox = [];
  port.postMessage({ ...event, problems: outbox }, transfer);
}

// Loaded and waiting: read once told to (the file has been checked by then).
await new Promise<void>((resolve) =>
  port.on("message", (message: unknown) => {
    if (message === "start") resolve();
  }),
);
let bytesRead = 0;
let rows = 0;
try {
  for await (const sheet of readWorkbookSheets(input.path, (bytes) => {
    bytesRead = bytes;
  })) {
    post({ type: "sheet", name: sheet.name, hidden: sheet.hidden });
    if (sheet.hidden) continue;
    const reading = await readSheetRecords(
      sheet,
      {
        ...(input.kind ? { kind: input.kind } : {}),
        ...(input.profile ? { profile: input.profile } : {}),
        limits: input.limits,
        savingsBatchRows: input.batchRows,
        onRow: () => {
          if (++rows % 5000 === 0) post({ type: "progress", rows, bytesRead });
        },
        onHeader: (header) =>
          post({ type: "header", reading: { ...header, savings: undefined } }),
        onSavings: async (read) => {
          const batch = read.savings.takeBatch();
          post({ type: "savings", batch }, batchBuffers(batch));
          // Wait while the writer is two batches behind, so that batches never pile up in memory.
          if (++unacknowledged > 2)
            await new Promise<void>((resolve) => (acknowledged = resolve));
          acknowledged = null;
        },
      },
      problems,
    );
    if (reading && reading.savings.length > 0) {
      const batch = reading.savings.takeBatch();
      unacknowledged++;
      post({ type: "savings", batch }, batchBuffers(batch));
    }
    post({
      type: "end",
      reading: reading ? { ...reading, savings: undefined } : null,
    });
  }
  post({ type: "progress", rows, bytesRead });
  post({ type: "done" });
} catch (error) {
  post({
    type: "failed",
    tooLarge: error instanceof SheetTooLarge,
    message: error instanceof Error ? error.message : String(error),
  });
}

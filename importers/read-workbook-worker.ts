import { parentPort, workerData } from "node:worker_threads";
import {
  readWorkbookEvents,
  type ReadWorkerInput,
} from "./read-workbook-events.js";
import { batchBuffers } from "./savings-rows.js";

// The reading stages of one workbook in a worker thread with a bounded heap: exceljs's garbage stays
// here, and the main thread writes one batch of figures to PostgreSQL while this one reads the next.

const port = parentPort!;
const input = workerData as ReadWorkerInput;
let unacknowledged = 0;
let acknowledged: (() => void) | null = null;
let start: (() => void) | null = null;
port.on("message", (message: unknown) => {
  if (message === "start") start?.();
  if (message !== "ack") return;
  unacknowledged--;
  acknowledged?.();
});

// Loaded and waiting: read once told to (the file has been checked by then).
await new Promise<void>((resolve) => (start = resolve));
await readWorkbookEvents(input, async ({ event, problems }) => {
  if (event.type !== "savings") {
    port.postMessage({ ...event, problems });
    return;
  }
  port.postMessage({ ...event, problems }, batchBuffers(event.batch));
  // Wait while the writer is two batches behind, so that batches never pile up in memory.
  unacknowledged++;
  while (unacknowledged > 2)
    await new Promise<void>((resolve) => (acknowledged = resolve));
  acknowledged = null;
});

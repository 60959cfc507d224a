import { parentPort, workerData } from "node:worker_threads";
import {
  AnswerWait,
  BatchGate,
  readWorkbookEvents,
  type ReaderKnows,
  type ReadWorkerInput,
} from "./read-workbook-events.js";
import type { SheetAnswers } from "./read-sheet-records.js";
import { batchBuffers } from "./savings-rows.js";

// The reading stages of one workbook in a worker thread with a bounded heap: exceljs's garbage stays
// here, and the main thread writes one batch of figures to PostgreSQL while this one reads the next.

const port = parentPort!;
let input = workerData as ReadWorkerInput;
const gate = new BatchGate();
const answers = new AnswerWait();
let start: (() => void) | null = null;
port.on("message", (message: unknown) => {
  if (message === "ack") gate.taken();
  else if (message && typeof message === "object" && "start" in message) {
    input = { ...input, ...(message as { start: ReaderKnows }).start };
    start?.();
  } else if (message && typeof message === "object" && "answers" in message)
    answers.give((message as { answers: SheetAnswers | null }).answers);
});

// Loaded and waiting: read once told to (the file has been checked by then), with what the check learnt.
await new Promise<void>((resolve) => (start = resolve));
await readWorkbookEvents(
  input,
  async (reported) => {
    const { event } = reported;
    if (event.type !== "savings") {
      port.postMessage(reported);
      return;
    }
    port.postMessage(reported, batchBuffers(event.batch));
    await gate.handedOn();
  },
  undefined,
  () => answers.wait(),
);

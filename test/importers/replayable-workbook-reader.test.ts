import { describe, expect, it } from "vitest";
import type {
  ReadEvent,
  Reported,
  WorkbookReader,
} from "../../importers/read-workbook-events.js";
import { ReplayableWorkbookReader } from "../../importers/replayable-workbook-reader.js";
import type { SheetAnswers } from "../../importers/read-sheet-records.js";
import { SavingsRows } from "../../importers/savings-rows.js";

/** A reader telling these events once, as a worker would: it counts its reads, answers and stops. */
class ScriptedReader implements WorkbookReader {
  reads = 0;
  stopped = 0;
  answers: (SheetAnswers | null)[] = [];
  /** How far the reading got: an event counts once it was asked for. */
  taken = 0;

  constructor(private readonly script: ReadEvent[]) {}

  async *events(): AsyncGenerator<Reported> {
    this.reads++;
    try {
      for (const event of this.script) {
        this.taken++;
        yield { event, problems: [] };
      }
    } finally {
      this.stopped++;
    }
  }

  start(): void {}

  answer(answers: SheetAnswers | null): void {
    this.answers.push(answers);
  }

  async stop(): Promise<void> {
    this.stopped++;
  }
}

const SHAPE = { name: "Savings", header: ["Council", "Service"] };
const head: ReadEvent[] = [
  { type: "sheet", name: "Savings", hidden: false },
  { type: "shape", shape: SHAPE, asks: true },
  { type: "progress", rows: 3, bytesRead: 100 },
];
const batch: ReadEvent = {
  type: "savings",
  batch: new SavingsRows().takeBatch(),
};
const tail: ReadEvent[] = [
  batch,
  { type: "end", reading: null },
  { type: "done" },
];

/** The event types a pass takes until `stopAt` (a type), or to the end. */
async function pass(
  reader: WorkbookReader,
  stopAt?: ReadEvent["type"],
): Promise<ReadEvent[]> {
  const seen: ReadEvent[] = [];
  for await (const { event } of reader.events()) {
    seen.push(event);
    if (event.type === "shape" && event.asks)
      reader.answer({ kind: "savings-long" });
    if (event.type === stopAt) break;
  }
  return seen;
}

describe("a workbook reader handed on to the next pass of an import", () => {
  it("tells the next pass every event again, then reads on from where the first pass stopped", async () => {
    const scripted = new ScriptedReader([...head, ...tail]);
    const reader = new ReplayableWorkbookReader(scripted);
    expect((await pass(reader, "progress")).map((e) => e.type)).toEqual([
      "sheet",
      "shape",
      "progress",
    ]);
    expect(reader.canReadOn).toBe(true);
    expect(scripted.stopped).toBe(0);
    const again = await pass(reader);
    expect(again.map((e) => e.type)).toEqual([
      "sheet",
      "shape",
      "progress",
      "savings",
      "end",
      "done",
    ]);
    // One read of the file; the shape answered once, by the first pass, and told again without asking.
    expect(scripted.reads).toBe(1);
    expect(scripted.taken).toBe(head.length + tail.length);
    expect(scripted.answers).toEqual([{ kind: "savings-long" }]);
    expect(again[1]).toEqual({ type: "shape", shape: SHAPE });
    expect(reader.canReadOn).toBe(false);
  });

  it("still asks the next pass a shape the first pass stopped at before answering", async () => {
    const scripted = new ScriptedReader([...head, ...tail]);
    const reader = new ReplayableWorkbookReader(scripted);
    for await (const { event } of reader.events())
      if (event.type === "shape") break;
    const again = await pass(reader);
    expect(again[1]).toEqual({ type: "shape", shape: SHAPE, asks: true });
    expect(scripted.answers).toEqual([{ kind: "savings-long" }]);
  });

  it.each(["savings", "end"] as const)(
    "cannot be handed on once a pass has taken a sheet's content (%s), and stops its read",
    async (stopAt) => {
      const scripted = new ScriptedReader([
        ...head,
        ...(stopAt === "end" ? tail.slice(1) : tail),
      ]);
      const reader = new ReplayableWorkbookReader(scripted);
      await pass(reader, stopAt);
      expect(reader.canReadOn).toBe(false);
      expect(scripted.stopped).toBe(1);
      await expect(pass(reader)).rejects.toThrow(/can no longer be read/);
    },
  );

  it("stops its read when stopped between passes", async () => {
    const scripted = new ScriptedReader([...head, ...tail]);
    const reader = new ReplayableWorkbookReader(scripted);
    await pass(reader, "shape");
    await reader.stop();
    expect(reader.canReadOn).toBe(false);
    expect(scripted.stopped).toBeGreaterThanOrEqual(1);
    expect(scripted.taken).toBe(2);
  });
});

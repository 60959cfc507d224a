import { describe, expect, it } from "vitest";
import { ReportQueue } from "../../importers/read-workbook-events.js";

async function first(
  queue: ReportQueue,
  maxReadMs: number,
  maxReadIdleMs: number,
) {
  const events = [];
  for await (const { event } of queue.drain(() => undefined, {
    maxReadMs,
    maxReadIdleMs,
  }))
    events.push(event);
  return events;
}

describe("every read of a workbook has a time bound", () => {
  it("gives up on a reader that reports nothing for maxReadIdleMs", async () => {
    const started = Date.now();
    const events = await first(new ReportQueue(), 60_000, 200);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(events).toEqual([
      {
        type: "failed",
        tooLarge: false,
        message: expect.stringMatching(
          /stopped for 0.2 s without getting further/,
        ),
      },
    ]);
  });

  it("gives up on a reader that keeps reporting past maxReadMs", async () => {
    const queue = new ReportQueue();
    const timer = setInterval(
      () =>
        queue.push({
          event: { type: "progress", rows: 1, bytesRead: 1 },
          problems: [],
        }),
      20,
    );
    try {
      const events = await first(queue, 300, 10_000);
      expect(events.at(-1)).toEqual({
        type: "failed",
        tooLarge: false,
        message: expect.stringMatching(/took more than the 0.3 s/),
      });
      expect(events.length).toBeGreaterThan(1);
    } finally {
      clearInterval(timer);
    }
  });
});

import { describe, expect, it } from "vitest";
import {
  collectYoungGarbage,
  releaseSentBuffers,
} from "../../importers/release-memory.js";
import { SavingsRows, releaseBatch } from "../../importers/savings-rows.js";

// What the bulk writes free once a statement has run or a batch is appended: only memory nothing
// else reads. A small Buffer shares Node's pool with other Buffers; freeing that pool would empty
// Buffers all over the process.

describe("freeing a statement's sent buffers", () => {
  it("frees a Buffer that is the whole of its memory, as a chunk's binary arrays are", () => {
    const big = Buffer.allocUnsafe(64 * 1024).fill(7);
    releaseSentBuffers([big, "text", 1, null]);
    expect(big.buffer.byteLength).toBe(0);
  });

  it("leaves a small pooled Buffer, its neighbours in the pool and a slice of a larger one as they are", () => {
    const pooled = Buffer.from([1, 2, 3]);
    const neighbour = Buffer.from([4, 5, 6]);
    const whole = Buffer.alloc(64 * 1024, 9);
    const slice = whole.subarray(16, 32);
    releaseSentBuffers([pooled, slice]);
    expect([...pooled]).toEqual([1, 2, 3]);
    expect([...neighbour]).toEqual([4, 5, 6]);
    expect(slice.length).toBe(16);
    expect(whole.buffer.byteLength).toBe(64 * 1024);
  });

  it("can ask for a young-generation collection, here as in sshub", () => {
    expect(() => collectYoungGarbage()).not.toThrow();
    expect(() => collectYoungGarbage()).not.toThrow();
  });
});

describe("freeing a batch once appended", () => {
  it("keeps the figures appended while the batch's own arrays are freed", () => {
    const reader = new SavingsRows();
    for (let i = 0; i < 3; i++)
      reader.push({
        row: 10 + i,
        column: 5,
        service: `Service ${i}`,
        partnership: null,
        council: "Bolsover",
        year: 2010,
        measure: 2,
        cashable: i % 2 === 0,
        pence: 12_345n + BigInt(i),
        rag: null,
        extra: null,
      });
    const batch = reader.takeBatch();
    const writer = new SavingsRows();
    writer.append(batch);
    releaseBatch(batch);
    expect(batch.row.length).toBe(0);
    expect(batch.pence.length).toBe(0);
    expect([...writer.row.subarray(0, writer.length)]).toEqual([10, 11, 12]);
    expect([...writer.pence.subarray(0, writer.length)]).toEqual([
      12_345n,
      12_346n,
      12_347n,
    ]);
    expect(writer.text(writer.service[2]!)).toBe("Service 2");
  });
});

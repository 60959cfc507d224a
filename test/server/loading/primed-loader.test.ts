import { describe, expect, it } from "vitest";
import { PrimedLoader } from "../../../server/loading/primed-loader.js";

describe("PrimedLoader", () => {
  it("hands a primed value on at once, and loads the rest in one batch", async () => {
    const batches: number[][] = [];
    const loader = new PrimedLoader<number, string>(async (keys) => {
      batches.push([...keys]);
      return keys.map((key) => `loaded ${key}`);
    });
    loader.prime(1, "primed 1");
    loader.prime(1, "primed again");
    expect(loader.primed(1)).toBe("primed 1");
    expect(loader.primed(2)).toBeUndefined();
    expect(
      await Promise.all([loader.load(1), loader.load(2), loader.load(3)]),
    ).toEqual(["primed 1", "loaded 2", "loaded 3"]);
    expect(batches).toEqual([[2, 3]]);
    expect(loader.primed(2)).toBeUndefined();
  });

  it("forgets a primed value it is told to clear", async () => {
    const loader = new PrimedLoader<number, string>(async (keys) =>
      keys.map((key) => `loaded ${key}`),
    );
    loader.prime(1, "primed 1").prime(2, "primed 2");
    loader.clear(1);
    expect(loader.primed(1)).toBeUndefined();
    expect(await loader.load(1)).toBe("loaded 1");
    loader.clearAll();
    expect(loader.primed(2)).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { allocateShares } from "../../reconcile/allocate-shares.js";
import { ShareBasis } from "../../reconcile/share-basis.js";
import { fromPence, toPence } from "../../schema/money.js";

const three = (percents: (string | null)[]) =>
  ["E07000034", "E07000033", "E07000038"].map((gssCode, i) => ({
    key: gssCode,
    gssCode,
    percent: percents[i] ?? null,
  }));

function pounds(total: string, percents: (string | null)[]) {
  return allocateShares(toPence(total), three(percents)).shares.map((s) =>
    fromPence(s.pence),
  );
}

describe("allocateShares (largest remainder on pence, ties to the lower GSS code)", () => {
  it("shares £100.00 equally between three members as 33.34/33.33/33.33, the spare penny to the lowest GSS code", () => {
    // Parts are listed Chesterfield (E07000034), Bolsover (E07000033), NE Derbyshire (E07000038).
    expect(pounds("100.00", [null, null, null])).toEqual([
      "33.33",
      "33.34",
      "33.33",
    ]);
    const { shares } = allocateShares(10000n, three([null, null, null]));
    expect(shares.every((s) => s.basis === ShareBasis.EQUAL)).toBe(true);
    expect(shares.map((s) => s.appliedPercent)).toEqual([
      "33.3333",
      "33.3333",
      "33.3333",
    ]);
  });

  it("gives agreed shares of 50/30/20 with odd pence to the largest remainders", () => {
    expect(pounds("100.01", ["50", "30", "20"])).toEqual([
      "50.01",
      "30.00",
      "20.00",
    ]);
    // Exact shares 1.5p, 0.9p, 0.6p: one penny each after rounding down, remainders .9 and .6 win.
    expect(pounds("0.03", ["50.0000", "30.0000", "20.0000"])).toEqual([
      "0.01",
      "0.01",
      "0.01",
    ]);
    expect(pounds("1234.57", ["50", "30", "20"])).toEqual([
      "617.29",
      "370.37",
      "246.91",
    ]);
  });

  it("always adds up to the total exactly, negative totals included", () => {
    for (const total of [
      "0.00",
      "0.01",
      "0.02",
      "99.99",
      "-100.00",
      "-0.01",
      "1000000000.07",
    ]) {
      for (const percents of [
        [null, null, null],
        ["33.3333", "33.3333", "33.3333"],
        ["50", "30", "20"],
        ["60", null, null],
        ["12.3456", "45.6789", "41.9755"],
      ]) {
        const { shares } = allocateShares(toPence(total), three(percents));
        expect(shares.reduce((sum, s) => sum + s.pence, 0n)).toBe(
          toPence(total),
        );
      }
    }
    expect(pounds("-100.00", [null, null, null])).toEqual([
      "-33.33",
      "-33.34",
      "-33.33",
    ]);
  });

  it("scales 3 × 33.3333% to exact thirds without a warning-worthy loss, but says so", () => {
    const result = allocateShares(
      30000n,
      three(["33.3333", "33.3333", "33.3333"]),
    );
    expect(result.shares.map((s) => s.pence)).toEqual([10000n, 10000n, 10000n]);
    expect(result.warnings[0]).toMatch(/99\.9999%, not 100%/);
  });

  it("splits what agreed shares leave equally between members without one", () => {
    const result = allocateShares(10000n, three(["60", null, null]));
    expect(
      result.shares.map((s) => [fromPence(s.pence), s.basis, s.appliedPercent]),
    ).toEqual([
      ["60.00", ShareBasis.AGREED, "60.0000"],
      ["20.00", ShareBasis.EQUAL, "20.0000"],
      ["20.00", ShareBasis.EQUAL, "20.0000"],
    ]);
    expect(result.warnings).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { amountScale, readAmount } from "../../importers/coerce-amount.js";

const pence = (value: Parameters<typeof readAmount>[0], scale?: bigint) => {
  const reading = readAmount(value, scale);
  return reading.kind === "amount" ? reading.pence : reading.kind;
};

describe("reading amounts exactly to the penny", () => {
  it("reads numbers, including pence, without binary-float noise", () => {
    expect(pence(357000)).toBe(35_700_000n);
    expect(pence(1234.56)).toBe(123_456n);
    expect(pence(0.1 + 0.2)).toBe(30n);
    expect(pence(-25)).toBe(-2_500n);
  });

  it("reads money as councils write it", () => {
    expect(pence("£357,000")).toBe(35_700_000n);
    expect(pence("£30k")).toBe(3_000_000n);
    expect(pence("£0.5M")).toBe(50_000_000n);
    expect(pence("£1.25m")).toBe(125_000_000n);
    expect(pence("(25,000)")).toBe(-2_500_000n);
    expect(pence("-£25.50")).toBe(-2_550n);
    expect(pence("around £30k per annum")).toBe(3_000_000n);
    expect(pence("80000")).toBe(8_000_000n);
  });

  it('reads "246" under a £000 header as £246,000, and keeps explicit units', () => {
    expect(amountScale("Saving (£000)")).toBe(1000n);
    expect(amountScale("All figures £000")).toBe(1000n);
    expect(amountScale("£'000")).toBe(1000n);
    expect(amountScale("Amount (£m)")).toBe(1_000_000n);
    expect(amountScale("Amount (£)")).toBe(1n);
    expect(pence(246, 1000n)).toBe(24_600_000n);
    expect(pence("246", 1000n)).toBe(24_600_000n);
    expect(pence(12.3456, 1000n)).toBe(1_234_560n);
    expect(pence("£30k", 1000n)).toBe(3_000_000n);
  });

  it('treats "-", "n/a", "nil" and blank as no figure', () => {
    for (const none of ["-", "–", "n/a", "N/A", "nil", "", "  ", null])
      expect(pence(none)).toBe("none");
  });

  it("refuses text that is not money, and fractions of a penny written as text", () => {
    expect(pence("about thirty thousand")).toBe("bad");
    expect(pence("£12.345")).toBe("bad");
    expect(pence("12 apples")).toBe("bad");
    expect(pence(new Date())).toBe("bad");
  });

  it("refuses absurd amounts instead of wrapping them into small wrong figures", () => {
    expect(readAmount("£184,467,440,737,107,861.83")).toMatchObject({
      kind: "bad",
      reason: expect.stringMatching(/more than £10,000,000,000/),
    });
    expect(pence(1e308)).toBe("bad");
    expect(pence(1e13)).toBe("bad");
    expect(pence(Number("9007199254740993"))).toBe("bad");
    expect(pence(-1e13)).toBe("bad");
    expect(pence("£" + "9".repeat(100_000))).toBe("bad");
    expect(pence("£10,000,000,001")).toBe("bad");
    expect(pence("£10.5bn")).toBe("bad");
    expect(pence(20_000_000, 1000n)).toBe("bad");
    expect(pence(Number.NaN)).toBe("bad");
    expect(pence(Number.POSITIVE_INFINITY)).toBe("bad");
    expect(pence(Number.NEGATIVE_INFINITY)).toBe("bad");
  });

  it("accepts amounts up to the £10bn bound", () => {
    expect(pence("£10,000,000,000")).toBe(1_000_000_000_000n);
    expect(pence(-10_000_000_000)).toBe(-1_000_000_000_000n);
    expect(pence("£10bn")).toBe(1_000_000_000_000n);
    expect(pence(10_000_000, 1000n)).toBe(1_000_000_000_000n);
  });

  it("accepts only what a person writes, not what JavaScript's number parsing happens to take", () => {
    for (const text of [
      "0x1F",
      "1_000",
      "30\uFFFD000",
      "30\u0000000",
      "1e5",
      "1E+3",
      "Infinity",
      "NaN",
      "0b101",
      "0o17",
      "1,00",
      "10,0000",
      "1.2.3",
      "12gbp34",
      "£",
      "--5",
      "+-5",
      "５００",
    ])
      expect([text, pence(text)]).toEqual([text, "bad"]);
    expect(pence("GBP 1,000")).toBe(100_000n);
    expect(pence("1,000 GBP")).toBe(100_000n);
  });
});

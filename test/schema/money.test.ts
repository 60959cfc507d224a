import { describe, expect, it } from "vitest";
import { fromPence, Money, toPence } from "../../schema/money.js";

describe("money", () => {
  it("reads decimal pounds into exact pence and back", () => {
    expect(toPence("357000")).toBe(35_700_000n);
    expect(toPence("0.1")).toBe(10n);
    expect(toPence("-25.05")).toBe(-2505n);
    expect(fromPence(-2505n)).toBe("-25.05");
    expect(fromPence(5n)).toBe("0.05");
    expect(new Money("12.3").amount).toBe("12.30");
  });

  it("keeps sums exact where floats drift (0.1 + 0.2)", () => {
    expect(fromPence(toPence("0.10") + toPence("0.20"))).toBe("0.30");
    expect(fromPence(toPence("9999999999999.99") + 1n)).toBe(
      "10000000000000.00",
    );
  });

  it("refuses amounts with more than two decimals or stray text", () => {
    for (const bad of ["1.234", "£5", "1e3", "", "abc"])
      expect(() => toPence(bad), bad).toThrow(/not an amount/);
    for (const bad of ["1.234", "£5", "1e3", "", "abc", "1.", ".50"])
      expect(() => new Money(bad), bad).toThrow(/not an amount/);
  });

  it("gives every amount in the one form fromPence writes, whether it arrives in that form or not", () => {
    const written = [
      ["0.00", "0.00"],
      ["-0.00", "0.00"],
      ["-0.01", "-0.01"],
      ["007.50", "7.50"],
      ["-01.00", "-1.00"],
      ["0.5", "0.50"],
      [" 12.00 ", "12.00"],
      ["357000", "357000.00"],
      ["9999999999999.99", "9999999999999.99"],
      ["-9999999999999.99", "-9999999999999.99"],
    ];
    for (const [given, amount] of written)
      expect(new Money(given!).amount, given).toBe(amount);
    for (let pence = -100_005n; pence <= 100_005n; pence += 997n)
      expect(new Money(fromPence(pence)).amount).toBe(fromPence(pence));
  });
});

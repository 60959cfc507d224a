import { describe, expect, it } from "vitest";
import {
  formatFinancialYear,
  parseFinancialYear,
} from "../../schema/financial-year-text.js";

describe("financial years", () => {
  it("reads every way councils write 2010/11", () => {
    for (const text of [
      "2010/11",
      "2010-11",
      "FY2010/11",
      "fy 2010-11",
      "2010/2011",
      "2010-2011",
      "10/11",
      " 2010 / 11 ",
    ]) {
      expect(parseFinancialYear(text), text).toBe(2010);
    }
  });

  it("crosses the century", () => {
    expect(parseFinancialYear("1999/00")).toBe(1999);
    expect(formatFinancialYear(1999)).toBe("1999/00");
  });

  it("refuses years that do not follow each other, and other text", () => {
    for (const text of ["2010/12", "2010", "2010/11/12", "April 2010", "11/10"])
      expect(parseFinancialYear(text), text).toBeNull();
  });

  it("writes the canonical form", () => {
    expect(formatFinancialYear(2009)).toBe("2009/10");
  });
});

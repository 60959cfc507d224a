import { describe, expect, it } from "vitest";
import {
  financialYearIn,
  monthOfFinancialPeriod,
  periodInName,
  readPeriodPhrase,
} from "../../importers/reporting-period-text.js";

const month = (text: string, year: number | null = null) => {
  const phrase = readPeriodPhrase(text, year);
  return phrase.status === "month" ? phrase.period : phrase.status;
};

describe("reading a reporting period", () => {
  it.each([
    ["June 2010", "2010-06"],
    ["Jun-10", "2010-06"],
    ["june, 2010", "2010-06"],
    ["30 June 2010", "2010-06"],
    ["2010-06", "2010-06"],
    ["2010-06-30", "2010-06"],
    ["06/2010", "2010-06"],
    ["30/06/2010", "2010-06"],
    ["Month 3 (June 2010)", "2010-06"],
    ["Month 3 - June 2010", "2010-06"],
    ["P3 2010/11", "2010-06"],
    ["P03 10/11", "2010-06"],
    ["Period 3 2010/11", "2010-06"],
    ["Period 3 of 2010/11", "2010-06"],
    ["2010/11 P3", "2010-06"],
    ["FY2010/11 Period 9", "2010-12"],
    ["P10 2010/11", "2011-01"],
    ["P12 2010/11", "2011-03"],
    ["Quarter 1 2010/11", "2010-06"],
    ["Q1 10/11", "2010-06"],
    ["Q3 2010/11", "2010-12"],
    ["Qtr 4 2010-11", "2011-03"],
    ["2010/11 Q2", "2010-09"],
  ])("%j is %s", (text, expected) => {
    expect(month(text)).toBe(expected);
  });

  it('reads "Period 3" and "Q1" alone with a year from elsewhere, and says when it needs one', () => {
    expect(month("Period 3")).toBe("needs-year");
    expect(month("P3")).toBe("needs-year");
    expect(month("Period 3", 2010)).toBe("2010-06");
    expect(month("Q4", 2010)).toBe("2011-03");
  });

  it("reads no period from prose, impossible months or periods", () => {
    for (const text of [
      "Savings tracker",
      "Period ending",
      "June",
      "2010/11",
      "13/2010",
      "P13 2010/11",
      "Q5 2010/11",
      "P3 2010/12",
      "Month 3 (sometime)",
    ])
      expect(month(text)).toBe("none");
  });

  it("counts a financial year's periods from April", () => {
    expect(monthOfFinancialPeriod(2010, 1)).toBe("2010-04");
    expect(monthOfFinancialPeriod(2010, 9)).toBe("2010-12");
    expect(monthOfFinancialPeriod(2010, 10)).toBe("2011-01");
    expect(monthOfFinancialPeriod(2010, 0)).toBeNull();
  });

  it("finds a financial year in a title or name", () => {
    expect(financialYearIn("Savings tracker 2010/11")).toBe(2010);
    expect(financialYearIn("tracker FY10-11.xlsx")).toBe(2010);
    expect(financialYearIn("tracker-2010-06.xlsx")).toBeNull();
    expect(financialYearIn("Savings")).toBeNull();
  });

  it.each([
    ["tracker-2010-06.xlsx", "2010-06"],
    ["tracker_2010_06.xlsx", "2010-06"],
    ["tracker 201006.xlsx", "2010-06"],
    ["June 2010 tracker.xlsx", "2010-06"],
    ["RCE tracker Jun10.xlsx", "2010-06"],
    ["tracker P3 2010-11.xlsx", "2010-06"],
    ["tracker 2010-11-30.xlsx", "2010-11"],
    ["June 2010", "2010-06"],
  ])("finds the month in the name %j", (name, expected) => {
    expect(periodInName(name)).toBe(expected);
  });

  it("finds no month in names without one, or naming two", () => {
    for (const name of [
      "tracker.xlsx",
      "savings-2010-11.xlsx",
      "Tracker",
      "Market 2010.xlsx",
      "June 2010 to July 2010.xlsx",
    ])
      expect(periodInName(name)).toBeNull();
  });
});

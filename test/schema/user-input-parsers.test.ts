import { describe, expect, it } from "vitest";
import { BadInputError } from "../../errors/hub-error.js";
import { parseFinancialYearArgument } from "../../schema/financial-year.js";
import { matchPartnershipName } from "../../schema/partnership-name.js";
import { parseReportingPeriodArgument } from "../../schema/reporting-period.js";

function refusal(read: () => unknown): { message: string; code: string } {
  try {
    read();
  } catch (error) {
    if (error instanceof BadInputError)
      return { message: error.message, code: error.code };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("the reporting period parser", () => {
  it("reads an absent period as none and a month written YYYY-MM, spaces aside", () => {
    expect(parseReportingPeriodArgument(null, "asOf")).toBeNull();
    expect(parseReportingPeriodArgument(undefined, "asOf")).toBeNull();
    expect(parseReportingPeriodArgument(" 2010-03 ", "asOf")).toBe("2010-03");
  });

  it("refuses an empty period rather than reading it as the latest, naming the argument", () => {
    expect(refusal(() => parseReportingPeriodArgument("", "asOf"))).toEqual({
      code: "BAD_USER_INPUT",
      message: 'asOf must be a month written YYYY-MM, e.g. "2010-03"; got "".',
    });
    expect(
      refusal(() => parseReportingPeriodArgument("2010-13", "--as-of")).message,
    ).toBe(
      '--as-of must be a month written YYYY-MM, e.g. "2010-03"; got "2010-13".',
    );
  });
});

describe("the financial year parser", () => {
  it("reads a year as councils write it", () => {
    for (const text of ["2009/10", "2009-10", "FY09/10", "2009/2010"])
      expect(parseFinancialYearArgument(text, "year"), text).toBe(2009);
  });

  it("refuses years that do not follow and absent years, naming the argument", () => {
    expect(
      refusal(() => parseFinancialYearArgument("2009/11", "year")),
    ).toEqual({
      code: "BAD_USER_INPUT",
      message:
        'year must be a financial year written like "2009/10" (consecutive years); got "2009/11".',
    });
    expect(
      refusal(() => parseFinancialYearArgument("", "--year")).message,
    ).toBe(
      '--year must be a financial year written like "2009/10" and is required.',
    );
    expect(
      refusal(() => parseFinancialYearArgument(2009, "year")).message,
    ).toMatch(/got 2009\.$/);
  });
});

describe("the partnership name matcher", () => {
  const partnerships = [
    {
      id: 1,
      name: "Bromsgrove and Redditch Shared Services",
      alternativeNames: ["BDC/RBC"],
    },
    {
      id: 2,
      name: "Derbyshire RCE Shared Services",
      alternativeNames: ["RCE", "Shared"],
    },
    {
      id: 3,
      name: "Worcestershire Regulatory Services",
      alternativeNames: ["WRS", "Shared"],
    },
  ];

  it("ignores case, punctuation and spacing, and reads & as and", () => {
    for (const text of [
      "bromsgrove & redditch shared services",
      "Bromsgrove and Redditch: Shared-Services",
      "  BROMSGROVE AND REDDITCH SHARED SERVICES ",
    ])
      expect(matchPartnershipName(partnerships, text).match?.id, text).toBe(1);
  });

  it("finds alternative names, and refuses to guess between partnerships sharing one", () => {
    expect(matchPartnershipName(partnerships, "bdc / rbc").match?.id).toBe(1);
    expect(matchPartnershipName(partnerships, "rce").match?.id).toBe(2);
    expect(matchPartnershipName(partnerships, "shared")).toEqual({
      match: null,
      candidates: [partnerships[1], partnerships[2]],
    });
    expect(matchPartnershipName(partnerships, "Nowhere")).toEqual({
      match: null,
      candidates: [],
    });
    expect(matchPartnershipName(partnerships, " - ").candidates).toEqual([]);
  });

  it("prefers a partnership's name over another's alternative name", () => {
    const clash = [
      { id: 1, name: "Alpha", alternativeNames: ["Beta"] },
      { id: 2, name: "Beta", alternativeNames: [] },
    ];
    expect(matchPartnershipName(clash, "beta").match?.id).toBe(2);
  });
});

import { describe, expect, it } from "vitest";
import { mapColumns } from "../../importers/map-columns.js";
import { planRowTotals } from "../../importers/row-total-lanes.js";
import { columnLetter } from "../../importers/locate-header.js";

/** Each Total column's plan, by its column letter: the lane it is checked in, or "unchecked". */
function totals(headers: string[]): Record<string, string> {
  const map = mapColumns(headers, "savings-wide", undefined);
  const plan = planRowTotals(map);
  return Object.fromEntries(
    plan.columns.flatMap((c) =>
      c.kind === "total"
        ? [[columnLetter(c.index), c.lane]]
        : c.kind === "unchecked"
          ? [[columnLetter(c.index), "unchecked"]]
          : [],
    ),
  );
}

describe("which figures a row's Total columns total", () => {
  it("gives a year's Total its year's figures and a Total naming none every figure", () => {
    expect(
      totals([
        "Service",
        "2009/10 CEC",
        "2009/10 CWaC",
        "2010/11 CEC",
        "2010/11 CWaC",
        "2010/11 Total",
        "Total",
      ]),
    ).toEqual({ F: "2010|*", G: "*|*" });
  });

  it("leaves a Total after several measures unchecked, gives one after one measure's years that measure, and adds cashable to non-cashable", () => {
    expect(
      totals(["Service", "2009/10 Target", "2009/10 Actual", "2009/10 Total"]),
    ).toEqual({ D: "unchecked" });
    expect(
      totals([
        "Service",
        "Target 2010/11",
        "Target 2011/12",
        "Total",
        "Actual 2010/11",
        "Actual 2011/12",
        "Total",
      ]),
    ).toEqual({ D: "*|TARGET", G: "*|ACHIEVED" });
    expect(
      totals([
        "Service",
        "2010/11 Cashable",
        "2010/11 Non-cashable",
        "2010/11 Total",
      ]),
    ).toEqual({ D: "2010|*" });
  });
});

import { describe, expect, it } from "vitest";
import { TotalRowChecker } from "../../importers/check-total-rows.js";
import { isTotalLabel } from "../../importers/total-label.js";

describe("total and subtotal rows", () => {
  it("knows a total row by its name", () => {
    for (const label of [
      "Total",
      "TOTAL",
      "Totals",
      "Grand total",
      "Sub-total",
      "Subtotal",
      "Sub total",
      "Total Bromsgrove",
      "Total savings",
    ])
      expect(isTotalLabel(label), label).toBe(true);
    for (const label of ["Totally Local", "Internal Audit", "Subtotaling"])
      expect(isTotalLabel(label), label).toBe(false);
  });

  it("accepts subtotals of their section and a grand total of the table, and names the range a wrong one should sum", () => {
    const checker = new TotalRowChecker();
    checker.add(5, 3, 100n);
    checker.add(6, 3, 200n);
    expect(checker.total(7, "Total Bromsgrove", new Map([[3, 300n]]))).toEqual(
      [],
    );
    checker.add(8, 3, 50n);
    checker.record(9); // a row with no amount
    expect(checker.total(10, "Total Redditch", new Map([[3, 60n]]))).toEqual([
      {
        row: 10,
        column: 3,
        cell: "D10",
        range: "D8:D9",
        written: 60n,
        sum: 50n,
      },
    ]);
    // The grand total is the sum of every row (the subtotals' sum), not of the rows since the last total.
    expect(checker.total(11, "Grand total", new Map([[3, 350n]]))).toEqual([]);
    expect(checker.total(12, "Grand total", new Map([[3, 351n]]))).toEqual([
      {
        row: 12,
        column: 3,
        cell: "D12",
        range: "D5:D11",
        written: 351n,
        sum: 350n,
      },
    ]);
  });

  it("checks each column of a wide tracker on its own", () => {
    const checker = new TotalRowChecker();
    checker.add(4, 1, 10n);
    checker.add(4, 2, 20n);
    checker.add(5, 1, 1n);
    expect(
      checker.total(
        6,
        "Total",
        new Map([
          [1, 11n],
          [2, 21n],
        ]),
      ),
    ).toEqual([
      { row: 6, column: 2, cell: "C6", range: "C4:C5", written: 21n, sum: 20n },
    ]);
  });

  it("leaves unchecked a total over an amount that could not be read", () => {
    const checker = new TotalRowChecker();
    checker.add(4, 1, 10n);
    checker.unreadable(5, 1);
    expect(checker.total(6, "Total", new Map([[1, 99n]]))).toEqual([]);
    checker.add(7, 1, 5n);
    expect(checker.total(8, "Sub-total", new Map([[1, 6n]]))).toHaveLength(1);
    expect(checker.total(9, "Grand total", new Map([[1, 6n]]))).toEqual([]);
  });

  it("checks a row's Total columns along the row: a Total under each year, a grand Total, cells named one by one when not side by side", () => {
    // Row 5: B, C are 2009/10's councils, D their Total; E, F 2010/11's, G theirs; H the grand Total.
    const checker = new TotalRowChecker("columns");
    checker.add(1, 5, 30n);
    checker.add(2, 5, 20n);
    expect(checker.total(3, "2009/10 Total", new Map([[5, 50n]]))).toEqual([]);
    checker.add(4, 5, 40n);
    checker.record(5);
    expect(checker.total(6, "2010/11 Total", new Map([[5, 41n]]))).toEqual([
      { row: 6, column: 5, cell: "G5", range: "E5:F5", written: 41n, sum: 40n },
    ]);
    expect(checker.total(7, "Total", new Map([[5, 91n]]))).toEqual([
      {
        row: 7,
        column: 5,
        cell: "H5",
        range: "B5, C5, E5, F5",
        written: 91n,
        sum: 90n,
      },
    ]);
  });
});

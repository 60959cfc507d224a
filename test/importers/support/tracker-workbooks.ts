import type { SampleWorkbook } from "../../../fixtures/generate-samples.js";

type Row = (string | number | null)[];

/** A long savings tracker for the Derbyshire partnership, laid out like the host's. */
export function longTracker(
  file: string,
  period: string | null,
  rows: Row[],
  extraTitle: (string | null)[][] = [],
): SampleWorkbook {
  return {
    file,
    sheets: [
      {
        name: "Tracker",
        title: [
          ["Savings tracker"],
          ...(period ? [["Period:", period]] : []),
          ["Partnership:", "Derbyshire RCE Shared Services"],
          [
            "Partners:",
            "Chesterfield Borough Council, Bolsover District Council, North East Derbyshire District Council",
          ],
          ...extraTitle,
        ],
        header: [
          "Council",
          "Workstream",
          "Financial year",
          "Measure",
          "Amount (£)",
        ],
        rows,
      },
    ],
  };
}

/** `n` valid figures for distinct services, partnership totals (no council). */
export function figures(n: number, amount = 1000): Row[] {
  return Array.from({ length: n }, (_, i) => [
    null,
    `Workstream ${i + 1}`,
    "2007/08",
    "Achieved",
    amount + i,
  ]);
}

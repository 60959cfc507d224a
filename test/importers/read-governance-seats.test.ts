import { describe, expect, it } from "vitest";
import {
  readSeats,
  seatCellCount,
} from "../../importers/read-governance-seats.js";

describe("reading a governance body's seats", () => {
  it.each([
    [
      "Cheshire East: 3 elected members; Cheshire West and Chester: 3",
      [
        { councils: "Cheshire East", seats: 3 },
        { councils: "Cheshire West and Chester", seats: 3 },
      ],
    ],
    [
      "Cheshire East (3), CWaC (3)",
      [
        { councils: "Cheshire East", seats: 3 },
        { councils: "CWaC", seats: 3 },
      ],
    ],
    [
      "Cheshire East (5); Cheshire West and Chester (5)",
      [
        { councils: "Cheshire East", seats: 5 },
        { councils: "Cheshire West and Chester", seats: 5 },
      ],
    ],
    [
      "Bolsover 2, Chesterfield 2, NEDDC 2",
      [
        { councils: "Bolsover", seats: 2 },
        { councils: "Chesterfield", seats: 2 },
        { councils: "NEDDC", seats: 2 },
      ],
    ],
    [
      "3 from Bromsgrove\n3 members for Redditch",
      [
        { councils: "Bromsgrove", seats: 3 },
        { councils: "Redditch", seats: 3 },
      ],
    ],
    [
      "Cheshire East - two councillors; Cheshire West and Chester - two councillors",
      [
        { councils: "Cheshire East", seats: 2 },
        { councils: "Cheshire West and Chester", seats: 2 },
      ],
    ],
    [
      "Bromsgrove, Redditch (2 each)",
      [{ councils: "Bromsgrove, Redditch", seats: 2 }],
    ],
    [
      "Cheshire East; Cheshire West and Chester",
      [
        { councils: "Cheshire East", seats: null },
        { councils: "Cheshire West and Chester", seats: null },
      ],
    ],
    [
      "Cheshire East Council & Cheshire West and Chester Council",
      [
        {
          councils: "Cheshire East Council & Cheshire West and Chester Council",
          seats: null,
        },
      ],
    ],
  ])("%j lists its councils' seats", (text, groups) => {
    expect(readSeats(text)).toEqual({ kind: "listed", groups });
  });

  it.each([
    ["3 members from each council", 3],
    ["Three elected members from each partner council", 3],
    ["2 councillors per authority", 2],
    ["3 each", 3],
  ])("%j is the same number from every council", (text, seats) => {
    expect(readSeats(text)).toEqual({ kind: "each", seats });
  });

  it("keeps equal numbers as text, the seats unknown", () => {
    expect(
      readSeats("Equal numbers of Elected Members from both Councils"),
    ).toEqual({
      kind: "unstated",
      text: "Equal numbers of Elected Members from both Councils",
    });
  });

  it("reads a count under a council's column", () => {
    expect(seatCellCount(3)).toEqual({ seats: 3 });
    expect(seatCellCount("3 (Leader + 2)")).toEqual({ seats: 3 });
    expect(seatCellCount("two")).toEqual({ seats: 2 });
    expect(seatCellCount("Yes")).toEqual({ seats: null });
    expect(seatCellCount("✓")).toEqual({ seats: null });
    for (const none of [0, "0", "", "-", "No", null, false, 1.5])
      expect(seatCellCount(none)).toBeNull();
  });
});

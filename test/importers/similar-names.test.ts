import { describe, expect, it } from "vitest";
import { isSimilarName, SimilarNames } from "../../importers/record-names.js";

describe("a new name is compared with the names before it", () => {
  it("names the first existing name a new one is close to", () => {
    const names = new SimilarNames(["Internal Audit", "Shared Back Office"]);
    expect(names.closeTo("Shared Back Ofice")).toBe("Shared Back Office");
    expect(names.closeTo("Internal Audits")).toBe("Internal Audit");
    expect(names.closeTo("Back Office Shared Service")).toBe(
      "Shared Back Office",
    );
    expect(names.closeTo("Payroll")).toBeUndefined();
  });

  it("compares with names added since, as isSimilarName does pair by pair", () => {
    const names = new SimilarNames();
    const pairs: [string, string][] = [
      ["Revenues and Benefits", "Revenues & Benefits"],
      ["Shared Legal Services", "Legal"],
      ["Phase 1", "Phase 2"],
      ["Service 00001", "Service 00002"],
      ["ICT", "HR"],
    ];
    for (const [first, second] of pairs) {
      names.add(first);
      expect(names.closeTo(second) === first).toBe(
        isSimilarName(second, first),
      );
    }
    expect(names.closeTo("Legal Service")).toBe("Shared Legal Services");
  });

  it("never takes numbered siblings for typos, however many there are", () => {
    const names = new SimilarNames();
    for (let i = 0; i < 2_000; i++) {
      const name = `Service ${String(i).padStart(5, "0")}`;
      expect(names.closeTo(name)).toBeUndefined();
      names.add(name);
    }
    expect(names.closeTo("Service 0001")).toBeUndefined();
    expect(names.closeTo("Servise 00001")).toBe("Service 00001");
  });
});

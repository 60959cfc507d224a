import { describe, expect, it } from "vitest";
import { CouncilLookup } from "../../importers/council-lookup.js";
import { CouncilRegister } from "../../register/resolve-council.js";

const DERBYSHIRE = ["E07000034", "E07000033", "E07000038"];
const codes = (lookup: CouncilLookup, text: string) =>
  lookup
    .list(text)
    .map((r) => (r.status === "resolved" ? r.council.gssCode : r.status));

describe("reading the councils a cell lists", () => {
  const register = CouncilRegister.default();

  it('splits "CBC, BDC, NEDDC" and decides short forms among the partnership\'s councils', () => {
    const lookup = new CouncilLookup(register, DERBYSHIRE);
    expect(codes(lookup, "CBC, BDC, NEDDC")).toEqual([
      "E07000034",
      "E07000033",
      "E07000038",
    ]);
  });

  it("says a short form is ambiguous without the partnership's councils", () => {
    expect(codes(new CouncilLookup(register), "CBC")).toEqual(["ambiguous"]);
  });

  it('splits "A; B", "A & B" and "A and B", but keeps "Cheshire West and Chester" whole', () => {
    const lookup = new CouncilLookup(register);
    expect(codes(lookup, "Bromsgrove; Redditch")).toEqual([
      "E07000234",
      "E07000236",
    ]);
    expect(codes(lookup, "Bromsgrove & Redditch")).toEqual([
      "E07000234",
      "E07000236",
    ]);
    expect(codes(lookup, "Bromsgrove and Redditch Councils")).toEqual([
      "E07000234",
      "E07000236",
    ]);
    expect(codes(lookup, "Cheshire West and Chester")).toEqual(["E06000050"]);
    expect(codes(lookup, "Cheshire East, Cheshire West and Chester")).toEqual([
      "E06000049",
      "E06000050",
    ]);
  });

  it("says which text names no council", () => {
    expect(codes(new CouncilLookup(register), "Gotham City Council")).toEqual([
      "unknown",
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { findCouncilNames } from "../../register/find-council-names.js";
import { CouncilRegister } from "../../register/resolve-council.js";

const register = CouncilRegister.default();
const named = (text: string) =>
  findCouncilNames(text, (name) => register.resolveCouncil(name)).map(
    (c) => c.gssCode,
  );

describe("finding the councils a title names", () => {
  it("finds a list of councils inside a title", () => {
    expect(
      named(
        "Cambridge City, Huntingdonshire and South Cambridgeshire Shared Services",
      ),
    ).toEqual(["E07000008", "E07000011", "E07000012"]);
    expect(
      named(
        "CHESTERFIELD BOROUGH COUNCIL, BOLSOVER DISTRICT COUNCIL, NORTH EAST DERBYSHIRE DISTRICT COUNCIL",
      ),
    ).toEqual(["E07000034", "E07000033", "E07000038"]);
    expect(
      named("Shared back office of Cheshire East & Cheshire West and Chester"),
    ).toEqual(["E06000049", "E06000050"]);
  });

  it("keeps a lone name only with a designator", () => {
    expect(named("Rugby Borough Council shared services")).toEqual([
      "E07000220",
    ]);
    expect(named("Derbyshire RCE Shared Services")).toEqual([]);
    expect(named("Reading the workbook")).toEqual([]);
  });

  it("never takes initials or codes in prose for councils", () => {
    expect(named("RCE FUNDED SHARED SERVICES PROJECT")).toEqual([]);
    expect(named("CBC and BDC savings")).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import {
  CouncilType,
  type CouncilRecord,
} from "../../register/council-record.js";
import {
  CouncilRegister,
  type ResolveContext,
} from "../../register/resolve-council.js";
import {
  splitCouncilList,
  type SplitPreference,
} from "../../register/split-council-list.js";

const register = CouncilRegister.default();

/** What a split names: GSS codes, "unknown:TEXT", "ambiguous:TEXT", or "list?" for an ambiguous split. */
function names(
  text: string,
  context: ResolveContext = {},
  on: CouncilRegister = register,
): string[] {
  const prefer: SplitPreference = {
    ...(context.councils ? { councils: context.councils } : {}),
    ...(context.date ? { date: context.date } : {}),
  };
  const split = splitCouncilList(
    text,
    (segment) => on.resolveCouncil(segment, context),
    prefer,
  );
  if (split.status === "ambiguous")
    return split.splits.map(
      (s) => `list?${s.map((x) => x.council.gssCode).join("+")}`,
    );
  return split.segments.map((s) =>
    s.reading.status === "resolved"
      ? s.reading.council.gssCode
      : `${s.reading.status}:${s.text}`,
  );
}

const BROMSGROVE = "E07000234";
const REDDITCH = "E07000236";
const CHESHIRE_EAST = "E06000049";
const CWAC = "E06000050";
const DERBYSHIRE = ["E07000034", "E07000033", "E07000038"];

describe("splitCouncilList", () => {
  it.each([
    "Bromsgrove & Redditch",
    "Bromsgrove and Redditch",
    "Bromsgrove / Redditch",
    "Bromsgrove/Redditch",
    "Bromsgrove; Redditch",
    "Bromsgrove + Redditch",
    "Bromsgrove\nRedditch",
    "Bromsgrove, Redditch",
    "Bromsgrove District Council & Redditch Borough Council",
    "Bromsgrove and Redditch Councils",
  ])("splits %j into its two councils", (text) => {
    expect(names(text)).toEqual([BROMSGROVE, REDDITCH]);
  });

  it('reads "A, B and C" with or without the Oxford comma, and lists with a separator at the end', () => {
    const expected = DERBYSHIRE;
    expect(names("Chesterfield, Bolsover and North East Derbyshire")).toEqual(
      expected,
    );
    expect(
      names("Chesterfield, Bolsover, and North East Derbyshire Councils"),
    ).toEqual(expected);
    expect(names("Chesterfield;\nBolsover;\nNorth East Derbyshire;")).toEqual(
      expected,
    );
  });

  it('keeps names holding "and", "&" or a comma whole', () => {
    expect(names("Cheshire West and Chester")).toEqual([CWAC]);
    expect(names("Redcar & Cleveland")).toEqual(["E06000003"]);
    expect(names("Bath and North East Somerset")).toEqual(["E06000022"]);
    expect(names("Brighton and Hove")).toEqual(["E06000043"]);
    expect(names("Bristol, City of")).toEqual(["E06000023"]);
  });

  it("splits between names that hold separators themselves", () => {
    expect(
      names("Cheshire East Council & Cheshire West and Chester Council"),
    ).toEqual([CHESHIRE_EAST, CWAC]);
    expect(names("Cheshire East and Cheshire West and Chester")).toEqual([
      CHESHIRE_EAST,
      CWAC,
    ]);
    expect(names("Bristol, City of and Bath and North East Somerset")).toEqual([
      "E06000023",
      "E06000022",
    ]);
    expect(
      names("Redcar & Cleveland, Middlesbrough and Stockton-on-Tees"),
    ).toEqual(["E06000003", "E06000002", "E06000004"]);
  });

  it("decides short forms among the context's councils, and says which are ambiguous without", () => {
    expect(names("CBC, BDC & NEDDC", { councils: DERBYSHIRE })).toEqual(
      DERBYSHIRE,
    );
    expect(names("CBC & BDC")).toEqual(["ambiguous:CBC", "ambiguous:BDC"]);
  });

  it("names the piece that is not a council, not the whole cell", () => {
    expect(names("Gotham and Bromsgrove")).toEqual([
      "unknown:Gotham",
      BROMSGROVE,
    ]);
    expect(names("Gotham City Council")).toEqual([
      "unknown:Gotham City Council",
    ]);
    expect(names("  ")).toEqual([]);
  });

  // A register of five made-up councils whose names overlap, to reach the scoring's corners.
  const record = (
    gssCode: string,
    officialName: string,
    dates: Partial<CouncilRecord> = {},
  ): CouncilRecord => ({
    gssCode,
    registerCode: null,
    officialName,
    shortName: officialName,
    type: CouncilType.NON_METROPOLITAN_DISTRICT,
    startDate: null,
    endDate: null,
    successorGssCodes: [],
    alternativeNames: [],
    formerGssCodes: [],
    ...dates,
  });
  const made = new CouncilRegister([
    record("E07900001", "Alpha"),
    record("E07900002", "Beta", { endDate: "1996-03-31" }),
    record("E07900003", "Gamma"),
    record("E07900004", "Alpha and Beta"),
    record("E07900005", "Beta and Gamma"),
    record("E07900006", "Delta", { endDate: "1996-03-31" }),
    record("E07900007", "Epsilon", { endDate: "1996-03-31" }),
    record("E07900008", "Delta and Epsilon", { startDate: "1996-04-01" }),
  ]);

  it("reports two equally good splits with both, never guessing", () => {
    expect(names("Alpha and Beta and Gamma", {}, made)).toEqual([
      "list?E07900001+E07900005",
      "list?E07900004+E07900003",
    ]);
  });

  it("prefers fewer segments, then the context's councils, then councils existing on the date", () => {
    expect(names("Alpha and Beta", {}, made)).toEqual(["E07900004"]);
    expect(
      names("Alpha and Beta", { councils: ["E07900001", "E07900002"] }, made),
    ).toEqual(["E07900001", "E07900002"]);
    expect(names("Delta and Epsilon", {}, made)).toEqual(["E07900008"]);
    expect(names("Delta and Epsilon", { date: "1990-06-01" }, made)).toEqual([
      "E07900006",
      "E07900007",
    ]);
    // The context decides the tie the names alone leave.
    expect(
      names("Alpha and Beta and Gamma", { councils: ["E07900004"] }, made),
    ).toEqual(["E07900004", "E07900003"]);
  });
});

import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import type { CouncilRecord } from "../../register/council-record.js";
import { parseCsvRecords } from "../../register/parse-csv.js";
import {
  CouncilRegister,
  resolveCouncil,
  type CouncilResolution,
} from "../../register/resolve-council.js";

const register = CouncilRegister.default();

const CHESTERFIELD = "E07000034";
const BOLSOVER = "E07000033";
const NORTH_EAST_DERBYSHIRE = "E07000038";
const CHESHIRE_EAST = "E06000049";
const CHESHIRE_WEST_AND_CHESTER = "E06000050";
const DERBYSHIRE_PARTNERSHIP = [CHESTERFIELD, BOLSOVER, NORTH_EAST_DERBYSHIRE];
const CHESHIRE_PARTNERSHIP = [CHESHIRE_EAST, CHESHIRE_WEST_AND_CHESTER];

function resolvedGss(resolution: CouncilResolution): string | undefined {
  return resolution.status === "resolved"
    ? resolution.council.gssCode
    : undefined;
}

function candidateGss(resolution: CouncilResolution): string[] {
  return resolution.status === "ambiguous"
    ? resolution.candidates.map((council) => council.gssCode)
    : [];
}

describe("resolveCouncil", () => {
  it("resolves every English name variant in the mySociety lookup to its council, and none to a wrong one", () => {
    const rows = parseCsvRecords(
      readFileSync(
        new URL(
          "../../fixtures/reference/lookup_name_to_registry.csv",
          import.meta.url,
        ),
        "utf8",
      ),
    );
    const english: [string, CouncilRecord][] = rows.flatMap((row) => {
      const council = register.byRegisterCode(
        row["local-authority-code"] ?? "",
      );
      return council
        ? [[row["la-name"] ?? "", council] as [string, CouncilRecord]]
        : [];
    });
    const wrong: string[] = [];
    const misses: string[] = [];
    let right = 0;
    for (const [name, expected] of english) {
      const resolution = register.resolveCouncil(name);
      if (resolution.status === "resolved" && resolution.council === expected)
        right++;
      else if (resolution.status === "resolved")
        wrong.push(
          `${name} -> ${resolution.council.officialName}, not ${expected.officialName}`,
        );
      else
        misses.push(
          `${name} -> ${resolution.status} ${candidateGss(resolution).join(" ")} (expected ${expected.gssCode})`,
        );
    }
    console.log(
      `resolved ${right} / ${english.length} English name variants; not resolved:\n  ${misses.join("\n  ")}`,
    );
    expect(english.length).toBeGreaterThan(1300);
    expect(wrong).toEqual([]);
    expect(right / english.length).toBeGreaterThanOrEqual(0.99);
  });

  it("resolves 1,750 names in well under a second once the register is built", () => {
    const names = parseCsvRecords(
      readFileSync(
        new URL(
          "../../fixtures/reference/lookup_name_to_registry.csv",
          import.meta.url,
        ),
        "utf8",
      ),
    ).map((row) => row["la-name"] ?? "");
    const started = performance.now();
    for (const name of names) register.resolveCouncil(name);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it("resolves current and former GSS codes, whatever their case", () => {
    expect(register.resolveCouncil("E06000049")).toMatchObject({
      status: "resolved",
      matchedBy: "gssCode",
    });
    expect(resolvedGss(register.resolveCouncil(" e06000049 "))).toBe(
      CHESHIRE_EAST,
    );
    expect(register.resolveCouncil("E06000048")).toMatchObject({
      status: "resolved",
      matchedBy: "formerGssCode",
      council: { gssCode: "E06000057" },
    });
    expect(register.resolveCouncil("E06999999")).toEqual({ status: "unknown" });
  });

  it("resolves register codes case-insensitively: CHE is Cheshire East, CHS is Chesterfield", () => {
    expect(register.resolveCouncil("CHE")).toMatchObject({
      status: "resolved",
      matchedBy: "registerCode",
    });
    expect(resolvedGss(register.resolveCouncil("CHE"))).toBe(CHESHIRE_EAST);
    expect(resolvedGss(register.resolveCouncil("chs"))).toBe(CHESTERFIELD);
  });

  it("reads the partnership's own acronyms before register codes", () => {
    expect(
      register.resolveCouncil("CBC", { councils: DERBYSHIRE_PARTNERSHIP }),
    ).toMatchObject({
      status: "resolved",
      matchedBy: "contextAcronym",
      council: { gssCode: CHESTERFIELD },
    });
    expect(
      resolvedGss(
        register.resolveCouncil("BDC", { councils: DERBYSHIRE_PARTNERSHIP }),
      ),
    ).toBe(BOLSOVER);
    expect(
      resolvedGss(
        register.resolveCouncil("NEDDC", { councils: DERBYSHIRE_PARTNERSHIP }),
      ),
    ).toBe(NORTH_EAST_DERBYSHIRE);
    expect(
      resolvedGss(
        register.resolveCouncil("N.E.D.D.C.", {
          councils: DERBYSHIRE_PARTNERSHIP,
        }),
      ),
    ).toBe(NORTH_EAST_DERBYSHIRE);
    // RCC is Redcar and Cleveland's register code, but in Rutland's papers it is Rutland County Council.
    expect(
      resolvedGss(register.resolveCouncil("RCC", { councils: ["E06000017"] })),
    ).toBe("E06000017");
  });

  it("reads Cheshire short forms with a Cheshire partnership as context", () => {
    for (const text of ["CWaC", "CW&C", "CWAC", "cwac", "CWC"]) {
      expect(
        resolvedGss(
          register.resolveCouncil(text, { councils: CHESHIRE_PARTNERSHIP }),
        ),
        text,
      ).toBe(CHESHIRE_WEST_AND_CHESTER);
    }
    expect(
      resolvedGss(
        register.resolveCouncil("CEC", { councils: CHESHIRE_PARTNERSHIP }),
      ),
    ).toBe(CHESHIRE_EAST);
  });

  it("answers an acronym that fits several councils with the candidates when there is no context", () => {
    const cbc = register.resolveCouncil("CBC");
    expect(cbc.status).toBe("ambiguous");
    expect(candidateGss(cbc)).toEqual(
      expect.arrayContaining([CHESTERFIELD, "E07000078" /* Cheltenham */]),
    );
    expect(candidateGss(register.resolveCouncil("BDC"))).toEqual(
      expect.arrayContaining([BOLSOVER, "E07000234"]),
    );
    // CWC is also the City of Wolverhampton Council.
    expect(candidateGss(register.resolveCouncil("CWC"))).toEqual(
      expect.arrayContaining([CHESHIRE_WEST_AND_CHESTER, "E08000031"]),
    );
  });

  it("does not trust a register code that is also another council's initials", () => {
    const rcc = register.resolveCouncil("RCC");
    expect(rcc.status).toBe("ambiguous");
    expect(candidateGss(rcc)).toEqual(
      expect.arrayContaining([
        "E06000003" /* Redcar and Cleveland */,
        "E06000017",
      ]),
    );
    expect(register.byRegisterCode("RCC")?.gssCode).toBe("E06000003");
  });

  it("resolves an acronym that fits exactly one English council without context", () => {
    expect(resolvedGss(register.resolveCouncil("NEDDC"))).toBe(
      NORTH_EAST_DERBYSHIRE,
    );
    expect(register.resolveCouncil("RBWM")).toMatchObject({
      status: "resolved",
      matchedBy: "acronym",
    });
  });

  it("resolves names with suffixes, short forms, '&', case, punctuation and spacing", () => {
    const cases: [string, string][] = [
      ["Cheshire West & Chester", CHESHIRE_WEST_AND_CHESTER],
      ["Cheshire West and Chester Council", CHESHIRE_WEST_AND_CHESTER],
      ["Chesterfield BC", CHESTERFIELD],
      ["Chesterfield Borough Council", CHESTERFIELD],
      ["Bolsover D.C.", BOLSOVER],
      ["  bolsover  district council ", BOLSOVER],
      ["North East Derbyshire DC", NORTH_EAST_DERBYSHIRE],
      ["Redditch Borough Council", "E07000236"],
      ["Bromsgrove DC", "E07000234"],
      ["Cheshire East", CHESHIRE_EAST],
      ["Cheshire East UA", CHESHIRE_EAST],
      ["Cheshire County Council", "E10000004"],
      ["Congleton Borough Council", "E07000014"],
      ["Crewe & Nantwich BC", "E07000015"],
      ["Royal Borough of Windsor and Maidenhead", "E06000040"],
      ["Windsor & Maidenhead", "E06000040"],
      ["London Borough of Camden", "E09000007"],
      ["Camden Council", "E09000007"],
      ["City of London", "E09000001"],
      ["City of York Council", "E06000014"],
      ["York City Council", "E06000014"],
      ["Oldham MBC", "E08000004"],
      ["King's Lynn and West Norfolk", "E07000146"],
      ["Kings Lynn & West Norfolk BC", "E07000146"],
      ["St. Helens Council", "E08000013"],
      ["Stoke on Trent City Council", "E06000021"],
    ];
    for (const [text, gss] of cases)
      expect(resolvedGss(register.resolveCouncil(text)), text).toBe(gss);
  });

  it("answers a name shared by several councils with the candidates, never a guess", () => {
    const durham = register.resolveCouncil("Durham");
    expect(durham.status).toBe("ambiguous");
    expect(candidateGss(durham)).toEqual(
      expect.arrayContaining(["E06000047", "E07000056"]),
    );
    expect(candidateGss(register.resolveCouncil("Somerset")).sort()).toEqual([
      "E06000066",
      "E10000027",
    ]);
  });

  it("lets the context's councils and date choose among councils of one name", () => {
    expect(
      resolvedGss(
        register.resolveCouncil("Durham", {
          councils: ["E06000047", "E06000005"],
        }),
      ),
    ).toBe("E06000047");
    expect(
      resolvedGss(register.resolveCouncil("Durham", { date: "2008-06-01" })),
    ).toBe("E07000056");
    expect(
      resolvedGss(register.resolveCouncil("Somerset", { date: "2020-01-01" })),
    ).toBe("E10000027");
    expect(
      register.resolveCouncil("Somerset", { date: "2024-01-01" }),
    ).toMatchObject({
      status: "resolved",
      matchedBy: "shortName+date",
      council: { gssCode: "E06000066" },
    });
  });

  it("prefers the current council when the text is exactly its name and only another's alternative", () => {
    // The old county council's ONS name is "Buckinghamshire" too, but it was officially
    // "Buckinghamshire County Council".
    expect(register.resolveCouncil("Buckinghamshire")).toMatchObject({
      status: "resolved",
      matchedBy: "shortName+current",
      council: { gssCode: "E06000060" },
    });
    expect(
      resolvedGss(register.resolveCouncil("Buckinghamshire County Council")),
    ).toBe("E10000002");
  });

  it("answers unknown for text that names no council", () => {
    expect(register.resolveCouncil("Gotham City Council")).toEqual({
      status: "unknown",
    });
    expect(register.resolveCouncil("London")).toEqual({ status: "unknown" });
    expect(register.resolveCouncil("XQZ")).toEqual({ status: "unknown" });
    expect(register.resolveCouncil("   ")).toEqual({ status: "unknown" });
  });

  it("offers the same answers through the free function on the default register", () => {
    expect(CouncilRegister.default()).toBe(register);
    expect(
      resolvedGss(resolveCouncil("CBC", { councils: DERBYSHIRE_PARTNERSHIP })),
    ).toBe(CHESTERFIELD);
    expect(register.byGssCode("e07000014")?.shortName).toBe("Congleton");
  });
});

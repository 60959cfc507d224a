import { describe, expect, it } from "vitest";
import { CouncilLookup } from "../../importers/council-lookup.js";
import {
  readTitleFacts,
  type TitleFacts,
} from "../../importers/locate-header.js";
import { SavingsRows } from "../../importers/savings-rows.js";
import {
  councilKey,
  SavingsSheetResolver,
  serviceByName,
  type PartnershipFacts,
  type ServiceFacts,
} from "../../importers/savings-sheet-resolver.js";
import { CouncilRegister } from "../../register/resolve-council.js";

// The savings-sheet rules as a pure function of the title, the options, the partnerships known
// and the rows: no database. The last test feeds random sheets in random batches and checks that
// nothing answered before the end of a sheet differs from what its end decides.

const CHESTERFIELD = "E07000034";
const BOLSOVER = "E07000033";
const NE_DERBYSHIRE = "E07000038";
const CHELTENHAM = "E07000078";

interface TestPartnership {
  name: string;
  members: string[];
  services: string[];
}

const DERBYSHIRE: TestPartnership = {
  name: "Derbyshire RCE Shared Services",
  members: [CHESTERFIELD, BOLSOVER, NE_DERBYSHIRE],
  services: ["Internal Audit"],
};

/** The partnerships the hub holds, as plain data. */
function factsOf(
  partnerships: TestPartnership[],
): PartnershipFacts<TestPartnership> {
  return {
    findPartnership: (name) =>
      partnerships.find((p) => p.name.toLowerCase() === name.toLowerCase()) ??
      null,
    memberCodes: (p) => p.members,
    findByMembers: (codes) => {
      if (codes.size === 0) return [];
      const holding = partnerships.filter((p) =>
        [...codes].every((c) => p.members.includes(c)),
      );
      const exact = holding.filter((p) => p.members.length === codes.size);
      return exact.length ? exact : holding;
    },
    knowsService: (name) => partnerships.some((p) => p.services.includes(name)),
  };
}

function title(facts: Partial<TitleFacts> = {}): TitleFacts {
  return { ...readTitleFacts([]), ...facts };
}

interface Row {
  council: string | null;
  /** 2010 unless given; 0 for a figure without one (a row with an error). */
  year?: number;
  service?: string;
  partnership?: string | null;
}

/** A resolver over a sheet, with a `feed` that appends rows as one batch. */
function sheet(
  options: {
    title?: Partial<TitleFacts>;
    option?: string | null;
    partnerships?: TestPartnership[];
    date?: string | null;
  } = {},
) {
  const rows = new SavingsRows();
  const lookup = new CouncilLookup(CouncilRegister.default()).asOf(
    options.date ?? null,
  );
  const resolver = new SavingsSheetResolver(
    lookup,
    title(options.title),
    options.option ?? null,
    factsOf(options.partnerships ?? [DERBYSHIRE]),
    rows,
  );
  let row = 5;
  const feed = (batch: Row[]) => {
    const from = rows.length;
    for (const r of batch)
      rows.push({
        row: row++,
        column: 0,
        service: r.service ?? "Internal Audit",
        partnership: r.partnership ?? null,
        council: r.council,
        year: r.year ?? 2010,
        measure: 0,
        cashable: true,
        pence: 100n,
        rag: null,
        extra: null,
      });
    resolver.read(from);
  };
  const key = (text: string, year = 2010) =>
    councilKey(rows.intern(text), year);
  return { resolver, feed, key, rows };
}

describe("the sheet's partnership", () => {
  it("takes --partnership over the title's Partnership line, from the start", () => {
    const { resolver } = sheet({
      option: "Worcestershire Shared Services",
      title: { partnership: "Derbyshire RCE Shared Services" },
    });
    expect(resolver.partnership()).toEqual({
      kind: "named",
      name: "Worcestershire Shared Services",
    });
  });

  it('takes the title\'s "Partnership:" line, from the start', () => {
    const { resolver, feed } = sheet({
      title: { partnership: "Derbyshire RCE Shared Services" },
    });
    expect(resolver.partnership()?.kind).toBe("named");
    feed([{ council: "Bolsover District Council" }]);
    expect(resolver.end().partnership).toEqual({
      kind: "named",
      name: "Derbyshire RCE Shared Services",
    });
  });

  it("has none when every row names its partnership in a column", () => {
    const { resolver, feed } = sheet();
    feed([
      { council: "Bolsover District Council", partnership: "Derbyshire" },
      { council: "Redditch", partnership: "Worcestershire" },
    ]);
    expect(resolver.partnership()).toBeUndefined();
    expect(resolver.end().partnership).toEqual({ kind: "rows" });
  });

  it("is, at the end, the one partnership whose members are the councils the rows name", () => {
    const { resolver, feed } = sheet();
    feed([
      { council: "Chesterfield Borough Council" },
      { council: "Bolsover District Council" },
    ]);
    expect(resolver.partnership()).toBeUndefined();
    expect(resolver.end().partnership).toEqual({
      kind: "members",
      partnership: DERBYSHIRE,
    });
  });

  it("is left to the workbook's title when the councils fit none, and may be created only for services no partnership has", () => {
    const unknownService = sheet();
    unknownService.feed([{ council: "Redditch", service: "Payroll" }]);
    expect(unknownService.resolver.end().partnership).toEqual({
      kind: "workbook",
      matches: [],
      mayCreate: true,
    });
    const knownService = sheet();
    knownService.feed([{ council: "Redditch", service: "Internal Audit" }]);
    expect(knownService.resolver.end().partnership).toEqual({
      kind: "workbook",
      matches: [],
      mayCreate: false,
    });
  });
});

describe("the submitter", () => {
  it('is the "Submitted by:" line\'s council, from the start', () => {
    const { resolver, feed } = sheet({
      title: { submittedBy: "Bolsover District Council" },
    });
    expect(resolver.submitter()).toBe(BOLSOVER);
    feed([{ council: "Chesterfield Borough Council" }, { council: null }]);
    expect(resolver.end().submitter).toBe(BOLSOVER);
  });

  it("is the one council every row names, known only at the end of the sheet", () => {
    const { resolver, feed } = sheet();
    feed([{ council: "Bolsover District Council" }]);
    feed([{ council: "Bolsover DC" }, { council: "E07000033" }]);
    expect(resolver.submitter()).toBeUndefined();
    expect(resolver.end().submitter).toBe(BOLSOVER);
  });

  it("is none as soon as two rows are certain to name different councils", () => {
    const { resolver, feed } = sheet();
    feed([{ council: "Bolsover District Council" }]);
    expect(resolver.submitter()).toBeUndefined();
    feed([{ council: "NEDDC" }]);
    expect(resolver.submitter()).toBeNull();
    expect(resolver.end().submitter).toBeNull();
  });

  it("is none when a row leaves its council blank (the partnership's total) or names no council", () => {
    const blank = sheet();
    blank.feed([{ council: "Bolsover District Council" }, { council: null }]);
    expect(blank.resolver.submitter()).toBeNull();
    const unknown = sheet();
    unknown.feed([
      { council: "Bolsover District Council" },
      { council: "Gotham City" },
    ]);
    expect(unknown.resolver.end().submitter).toBeNull();
  });
});

describe("a row's council", () => {
  it("is certain at once for a full name or a GSS code", () => {
    const { resolver, feed, key } = sheet();
    feed([
      { council: "Chesterfield Borough Council" },
      { council: "E07000038" },
    ]);
    expect(resolver.council(key("Chesterfield Borough Council"))).toBe(
      CHESTERFIELD,
    );
    expect(resolver.council(key("E07000038"))).toBe(NE_DERBYSHIRE);
  });

  it("reads a short form among the title's partners, but only at the end, since a later row could name another council of those initials", () => {
    const { resolver, feed, key } = sheet({
      title: {
        partners:
          "Chesterfield Borough Council, Bolsover District Council, North East Derbyshire District Council",
      },
    });
    feed([{ council: "CBC" }, { council: "NEDDC" }]);
    // NEDDC is North East Derbyshire's initials alone; CBC is also Cheltenham's, Crawley's...
    expect(resolver.council(key("NEDDC"))).toBe(NE_DERBYSHIRE);
    expect(resolver.council(key("CBC"))).toBeUndefined();
    expect(resolver.end().councilOf.get(key("CBC"))).toBe(CHESTERFIELD);
  });

  it("reads a short form as ambiguous when a later row names another council of those initials", () => {
    const { resolver, feed, key } = sheet({
      title: { partners: "Chesterfield Borough Council" },
    });
    feed([{ council: "CBC" }]);
    feed([{ council: "Cheltenham Borough Council" }]);
    const end = resolver.end();
    expect(end.councilOf.get(key("CBC"))).toBeNull();
    expect(end.readings.get(key("CBC"))?.[0]?.status).toBe("ambiguous");
    expect(end.councilOf.get(key("Cheltenham Borough Council"))).toBe(
      CHELTENHAM,
    );
  });

  it("reads short forms among the named partnership's members", () => {
    const { resolver, feed, key } = sheet({
      option: "Derbyshire RCE Shared Services",
    });
    feed([{ council: "BDC" }]);
    expect(resolver.end().councilOf.get(key("BDC"))).toBe(BOLSOVER);
  });

  it("is read as of each figure's financial year: Buckinghamshire in 2015/16 is the county council, in 2021/22 the unitary one", () => {
    const { resolver, feed, key } = sheet({ date: "2021-06-01" });
    feed([
      { council: "Buckinghamshire", year: 2015 },
      { council: "Buckinghamshire", year: 2021 },
    ]);
    const end = resolver.end();
    expect(end.councilOf.get(key("Buckinghamshire", 2015))).toBe("E10000002");
    expect(end.councilOf.get(key("Buckinghamshire", 2021))).toBe("E06000060");
  });

  it("is read as of the sheet's date for a figure without a year", () => {
    const in2015 = sheet({ date: "2015-06-01" });
    in2015.feed([{ council: "Buckinghamshire", year: 0 }]);
    expect(
      in2015.resolver.end().councilOf.get(in2015.key("Buckinghamshire", 0)),
    ).toBe("E10000002");
    const in2021 = sheet({ date: "2021-06-01" });
    in2021.feed([{ council: "Buckinghamshire", year: 0 }]);
    expect(
      in2021.resolver.end().councilOf.get(in2021.key("Buckinghamshire", 0)),
    ).toBe("E06000060");
  });

  it("names no single council for a cell listing several", () => {
    const { resolver, feed, key } = sheet();
    feed([{ council: "Bromsgrove and Redditch" }]);
    expect(resolver.council(key("Bromsgrove and Redditch"))).toBeNull();
    expect(
      resolver.end().councilOf.get(key("Bromsgrove and Redditch")),
    ).toBeNull();
  });
});

describe("a service named without a partnership (none on the row or the sheet)", () => {
  const CHESHIRE: TestPartnership = {
    name: "Cheshire Shared Services",
    members: ["E06000049", "E06000050"],
    services: ["Internal Audit", "Payroll"],
  };
  const hub = [DERBYSHIRE, CHESHIRE];
  const facts: ServiceFacts<TestPartnership, string> = {
    partnershipsOf: (gss) => hub.filter((p) => p.members.includes(gss)),
    all: () => hub,
    findService: (p, name) =>
      p.services.includes(name) ? `${p.name}: ${name}` : null,
  };

  it("is the one service of that name among the council's partnerships", () => {
    expect(serviceByName(facts, "Internal Audit", BOLSOVER)).toEqual({
      kind: "found",
      service: "Derbyshire RCE Shared Services: Internal Audit",
    });
    expect(serviceByName(facts, "Payroll", "E06000050")).toEqual({
      kind: "found",
      service: "Cheshire Shared Services: Payroll",
    });
  });

  it("is none when the council's partnerships have no such service, though another partnership has", () => {
    expect(serviceByName(facts, "Payroll", BOLSOVER)).toEqual({
      kind: "none",
    });
  });

  it("is looked for in every partnership for a row with no council, and several of that name decide none", () => {
    expect(serviceByName(facts, "Payroll", null)).toEqual({
      kind: "found",
      service: "Cheshire Shared Services: Payroll",
    });
    expect(serviceByName(facts, "Internal Audit", null)).toEqual({
      kind: "several",
    });
  });
});

/** A seeded generator (mulberry32), so that a failing sheet can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Council texts that settle at once, later, or never, and that change one another's reading. */
const TEXTS = [
  "CBC",
  "BDC",
  "NEDDC",
  "CCC",
  "HDC",
  "Chesterfield Borough Council",
  "Cheltenham Borough Council",
  "Crawley",
  "Bolsover DC",
  "Bromsgrove",
  "Braintree District Council",
  "Buckinghamshire",
  "Buckinghamshire County Council",
  "Somerset",
  "Durham",
  "Cambridge City Council",
  "Huntingdonshire",
  "E07000033",
  "Bromsgrove and Redditch",
  "CBC, BDC",
  "Gotham City",
  null,
];
const PARTNERS = [
  null,
  "Chesterfield Borough Council, Bolsover District Council, North East Derbyshire District Council",
  "Cambridge City Council and Huntingdonshire District Council",
];
const SUBMITTERS = [null, null, "CBC", "Bolsover District Council", "HDC"];
/** The figures' years: 0 is a figure without one (a row with an error). */
const YEARS = [0, 2010, 2015, 2021];

describe("answers given before the end of a sheet", () => {
  it("are never changed by the rows that follow, over 300 random sheets read in random batches", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const pick = <T>(list: readonly T[]) =>
        list[Math.floor(next() * list.length)]!;
      const pool = TEXTS.filter(() => next() < 0.4);
      if (pool.length === 0) pool.push(pick(TEXTS));
      const { resolver, feed, key } = sheet({
        title: {
          partners: pick(PARTNERS),
          submittedBy: pick(SUBMITTERS),
          lines:
            next() < 0.2
              ? ["Cambridge City and Huntingdonshire Shared Services"]
              : [],
        },
        option: next() < 0.3 ? "Derbyshire RCE Shared Services" : null,
        date: pick([null, "2015-06-01", "2021-06-01"]),
      });
      const given = new Map<string, string | null>();
      const keyOf = new Map<string, number>();
      let submitter = resolver.submitter();
      const rows = Math.floor(next() * 40) + 1;
      for (let fed = 0; fed < rows;) {
        const size = Math.min(rows - fed, Math.floor(next() * 6) + 1);
        // Each figure of its own year (0: a row with an error, read as of the sheet's date).
        feed(
          Array.from({ length: size }, () => ({
            council: pick(pool),
            year: pick(YEARS),
          })),
        );
        fed += size;
        for (const text of pool) {
          if (text === null) continue;
          for (const year of YEARS) {
            const answer = resolver.council(key(text, year));
            if (answer === undefined) continue;
            const dated = `${text} in ${year}`;
            if (given.has(dated))
              expect(answer, `seed ${seed}: ${dated}`).toBe(given.get(dated));
            given.set(dated, answer);
            keyOf.set(dated, key(text, year));
          }
        }
        const now = resolver.submitter();
        if (submitter !== undefined)
          expect(now, `seed ${seed}: submitter`).toBe(submitter);
        submitter = now;
      }
      const end = resolver.end();
      for (const [dated, answer] of given)
        expect(
          end.councilOf.get(keyOf.get(dated)!),
          `seed ${seed}: ${dated}`,
        ).toBe(answer);
      if (submitter !== undefined)
        expect(end.submitter, `seed ${seed}: submitter`).toBe(submitter);
    }
  });
});

import { describe, expect, it } from "vitest";
import { reconcilePartnership } from "../../reconcile/reconcile-partnership.js";
import { reconciliationToJson } from "../../reconcile/reconciliation-json.js";
import type { ReconciliationQuery } from "../../reconcile/reconciliation.js";
import { Council } from "../../schema/council.js";
import { Membership, MembershipRole } from "../../schema/membership.js";
import { Partnership } from "../../schema/partnership.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import {
  FigureSource,
  figureSourceOf,
  latestFigurePerSource,
  preferredReport,
} from "../../schema/savings-figure-key.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { Service } from "../../schema/service.js";

// The source rule and the reconciliation as pure functions: no database, figures built in memory.

const council = (id: number, gssCode: string, shortName: string) =>
  Object.assign(new Council(), { id, gssCode, shortName, name: shortName });
const chesterfield = council(1, "E07000034", "Chesterfield");
const bolsover = council(2, "E07000033", "Bolsover");
const ned = council(3, "E07000038", "North East Derbyshire");
const partnership = Object.assign(new Partnership(), {
  id: 1,
  name: "Derbyshire",
});
const audit = Object.assign(new Service(), {
  id: 1,
  name: "Internal Audit",
  partnership,
});
const membership = (c: Council, percent: string | null = null) =>
  Object.assign(new Membership(), {
    partnership,
    council: c,
    role: MembershipRole.MEMBER,
    costSharePercent: percent,
    joinedOn: null,
    leftOn: null,
  });
const equalMembers = [
  membership(chesterfield),
  membership(bolsover),
  membership(ned),
];

let nextId = 1;
/** A figure for `forCouncil` (null: the total) reported by `by` (null: the partnership). */
function figure(
  forCouncil: Council | null,
  by: Council | null,
  amount: string,
  period = "2008-06",
): SavingsFigure {
  return Object.assign(new SavingsFigure(), {
    id: nextId++,
    service: audit,
    council: forCouncil,
    reportedBy: by,
    financialYear: 2007,
    measure: SavingsMeasure.ACHIEVED,
    cashable: true,
    amount,
    reportingPeriod: period,
    importRun: null,
  });
}

const query: ReconciliationQuery = {
  financialYear: 2007,
  measure: SavingsMeasure.ACHIEVED,
  asOf: null,
  tolerancePence: 0n,
};

function reconcile(
  figures: SavingsFigure[],
  members = equalMembers,
  over: Partial<ReconciliationQuery> = {},
) {
  return reconciliationToJson(
    reconcilePartnership(
      { partnership, memberships: members, figures },
      { ...query, ...over },
    ),
  );
}

function lines(r: ReturnType<typeof reconcile>) {
  return Object.fromEntries(
    r.lines.map((l) => [
      l.council.shortName,
      [l.shareBasis, l.expected, l.claimed, l.variance, l.status],
    ]),
  );
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}

describe("whose figure is whose", () => {
  it("reads a council's own report as its claim, another council's or the partnership's as a view of its share", () => {
    expect(figureSourceOf(figure(bolsover, bolsover, "1"))).toBe(
      FigureSource.OWN,
    );
    expect(figureSourceOf(figure(bolsover, chesterfield, "1"))).toBe(
      FigureSource.HOST,
    );
    expect(figureSourceOf(figure(bolsover, null, "1"))).toBe(
      FigureSource.PARTNERSHIP,
    );
    expect(figureSourceOf(figure(null, chesterfield, "1"))).toBe(
      FigureSource.HOST,
    );
    expect(figureSourceOf(figure(null, null, "1"))).toBe(
      FigureSource.PARTNERSHIP,
    );
  });

  it("keeps the latest report of each figure per source, as of a month", () => {
    const old = figure(bolsover, bolsover, "5", "2008-05");
    const claim = figure(bolsover, bolsover, "12", "2008-06");
    const hostView = figure(bolsover, chesterfield, "10", "2008-05");
    const later = figure(bolsover, chesterfield, "11", "2008-07");
    expect(latestFigurePerSource([claim, later, old, hostView], null)).toEqual([
      claim,
      later,
    ]);
    expect(
      latestFigurePerSource([later, hostView, claim, old], "2008-06"),
    ).toEqual([hostView, claim]);
    expect(latestFigurePerSource([later, claim], "2008-05")).toEqual([]);
  });

  it("prefers the latest month's total, the partnership's own before the host's in the same month", () => {
    const hostJune = figure(null, chesterfield, "30", "2008-06");
    const ownJune = figure(null, null, "31", "2008-06");
    const ownMay = figure(null, null, "29", "2008-05");
    expect(preferredReport([hostJune, ownJune])).toEqual({
      chosen: ownJune,
      others: [hostJune],
    });
    expect(preferredReport([ownMay, hostJune])).toEqual({
      chosen: hostJune,
      others: [ownMay],
    });
    expect(preferredReport([])).toEqual({ chosen: null, others: [] });
  });
});

describe("reconciliation by the source rule", () => {
  const example = () => [
    figure(null, chesterfield, "30000.00"),
    figure(chesterfield, chesterfield, "10000.00"),
    figure(bolsover, chesterfield, "10000.00"),
    figure(ned, chesterfield, "10000.00"),
    figure(bolsover, bolsover, "12000.00"),
  ];

  it("gives the same answer whatever order the figures come in", () => {
    const figures = example();
    const first = reconcile(figures);
    expect(lines(first)).toEqual({
      Chesterfield: ["EQUAL", "10000.00", "10000.00", "0.00", "MATCHED"],
      Bolsover: ["REPORTED", "10000.00", "12000.00", "2000.00", "OVER_CLAIMED"],
      "North East Derbyshire": [
        "REPORTED",
        "10000.00",
        null,
        null,
        "MISSING_CLAIM",
      ],
    });
    for (const order of permutations(figures))
      expect(reconcile(order)).toEqual(first);
  });

  it("never counts the host's breakdown as a claim", () => {
    const r = reconcile(example());
    expect(r.services[0]).toMatchObject({
      total: "30000.00",
      claimed: "22000.00",
      difference: "-8000.00",
      doubleCounting: false,
    });
  });

  it("takes a reported share over the agreed cost share, and says so", () => {
    const members = [
      membership(chesterfield, "50"),
      membership(bolsover, "25"),
      membership(ned, "25"),
    ];
    const r = reconcile(
      [
        figure(null, null, "1000.00"),
        figure(bolsover, null, "300.00"),
        figure(bolsover, bolsover, "300.00"),
        figure(ned, ned, "250.00"),
      ],
      members,
    );
    expect(lines(r)).toEqual({
      Bolsover: ["REPORTED", "300.00", "300.00", "0.00", "MATCHED"],
      Chesterfield: ["AGREED", "500.00", null, null, "MISSING_CLAIM"],
      "North East Derbyshire": [
        "AGREED",
        "250.00",
        "250.00",
        "0.00",
        "MATCHED",
      ],
    });
    expect(r.lines.find((l) => l.council.shortName === "Bolsover")!.note).toBe(
      "Share as the partnership's tracker reports it.",
    );
  });

  it("uses the partnership's own total over the host's for the same month and shows the host's beside it", () => {
    const r = reconcile([
      figure(null, chesterfield, "300.00"),
      figure(null, null, "330.00"),
      figure(bolsover, bolsover, "110.00"),
    ]);
    expect(r.services[0]!.total).toBe("330.00");
    expect(r.services[0]!.otherTotals.map((f) => f!.amount)).toEqual([
      "300.00",
    ]);
    expect(lines(r).Bolsover).toEqual([
      "EQUAL",
      "110.00",
      "110.00",
      "0.00",
      "MATCHED",
    ]);
  });

  it("uses a later month's host total over an earlier partnership total, and reads as of a month", () => {
    const figures = [
      figure(null, null, "330.00", "2008-05"),
      figure(null, chesterfield, "300.00", "2008-06"),
    ];
    expect(reconcile(figures).services[0]!.total).toBe("300.00");
    expect(
      reconcile(figures, equalMembers, { asOf: "2008-05" }).services[0]!.total,
    ).toBe("330.00");
  });

  it("sets a claim against the host's breakdown even where no total is reported", () => {
    const r = reconcile([
      figure(bolsover, chesterfield, "10000.00"),
      figure(bolsover, bolsover, "12000.00"),
      figure(ned, ned, "5.00"),
    ]);
    expect(lines(r)).toEqual({
      Bolsover: ["REPORTED", "10000.00", "12000.00", "2000.00", "OVER_CLAIMED"],
      "North East Derbyshire": [
        null,
        null,
        "5.00",
        null,
        "CLAIM_WITHOUT_TOTAL",
      ],
    });
  });
});

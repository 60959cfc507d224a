import { describe, expect, it } from "vitest";
import { findPartnership } from "../../reconcile/find-partnership.js";
import { loadCouncilSavingsPosition } from "../../reconcile/load-council-savings-position.js";
import { loadReconciliations } from "../../reconcile/load-reconciliations.js";
import type {
  PartnershipReconciliation,
  ReconciliationQuery,
} from "../../reconcile/reconciliation.js";
import { ReconciliationStatus } from "../../reconcile/reconciliation-status.js";
import { ShareBasis } from "../../reconcile/share-basis.js";
import { Council } from "../../schema/council.js";
import { toGlobalId } from "../../schema/global-id.js";
import { fromPence } from "../../schema/money.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { useTestDatabase } from "../support/test-database.js";
import {
  BOLSOVER,
  CHESTERFIELD,
  HIGH_PEAK,
  NE_DERBYSHIRE,
  SOUTH_DERBYSHIRE,
  seedSavings,
  type SeedFigure,
  type SeedMember,
} from "./savings-seed.js";

const db = useTestDatabase();

const query = (
  over: Partial<ReconciliationQuery> = {},
): ReconciliationQuery => ({
  financialYear: 2009,
  measure: SavingsMeasure.ACHIEVED,
  asOf: null,
  tolerancePence: 0n,
  ...over,
});

let seq = 0;
async function reconcile(
  members: SeedMember[],
  figures: SeedFigure[],
  over: Partial<ReconciliationQuery> = {},
): Promise<PartnershipReconciliation> {
  const { partnership } = await seedSavings(db.orm.em, {
    name: `Partnership ${++seq}`,
    members,
    figures,
  });
  const [result] = await loadReconciliations(
    db.orm.em.fork(),
    [partnership],
    query(over),
  );
  return result!;
}

const equalThree: SeedMember[] = [
  { gss: CHESTERFIELD },
  { gss: BOLSOVER },
  { gss: NE_DERBYSHIRE },
];

/** gss → [expected, claimed, variance, status] of the lines. */
function byCouncil(r: PartnershipReconciliation, cashable = true) {
  return Object.fromEntries(
    r.lines
      .filter((l) => l.cashable === cashable)
      .map((l) => [
        l.council.gssCode,
        [
          l.expectedPence === null ? null : fromPence(l.expectedPence),
          l.claimedPence === null ? null : fromPence(l.claimedPence),
          l.variancePence === null ? null : fromPence(l.variancePence),
          l.status,
        ],
      ]),
  );
}

describe("reconcilePartnership", () => {
  it("matches, over-claims, under-claims and misses claims against equal shares of the total", async () => {
    const r = await reconcile(
      [...equalThree, { gss: HIGH_PEAK }],
      [
        { service: "Revenues", amount: "400.00" },
        { service: "Revenues", gss: CHESTERFIELD, amount: "100.00" },
        { service: "Revenues", gss: BOLSOVER, amount: "150.00" },
        { service: "Revenues", gss: NE_DERBYSHIRE, amount: "99.99" },
      ],
    );
    expect(byCouncil(r)).toEqual({
      [CHESTERFIELD]: [
        "100.00",
        "100.00",
        "0.00",
        ReconciliationStatus.MATCHED,
      ],
      [BOLSOVER]: [
        "100.00",
        "150.00",
        "50.00",
        ReconciliationStatus.OVER_CLAIMED,
      ],
      [NE_DERBYSHIRE]: [
        "100.00",
        "99.99",
        "-0.01",
        ReconciliationStatus.UNDER_CLAIMED,
      ],
      [HIGH_PEAK]: ["100.00", null, null, ReconciliationStatus.MISSING_CLAIM],
    });
    expect(r.lines.every((l) => l.shareBasis === ShareBasis.EQUAL)).toBe(true);
    expect(r.lines[0]!.note).toBe("Equal share: no cost share is agreed.");
    expect(r.doubleCounting).toBe(false);
  });

  it("rounds £100.00 across three equal members to 33.34/33.33/33.33, the penny to the lowest GSS code", async () => {
    const r = await reconcile(equalThree, [
      { service: "Legal", amount: "100.00" },
    ]);
    const expected = Object.fromEntries(
      r.lines.map((l) => [l.council.gssCode, fromPence(l.expectedPence!)]),
    );
    expect(expected).toEqual({
      [BOLSOVER]: "33.34",
      [CHESTERFIELD]: "33.33",
      [NE_DERBYSHIRE]: "33.33",
    });
  });

  it("shares by agreed cost shares 50/30/20 with odd pence, and marks them AGREED", async () => {
    const r = await reconcile(
      [
        { gss: CHESTERFIELD, percent: "50.0000" },
        { gss: BOLSOVER, percent: "30.0000" },
        { gss: NE_DERBYSHIRE, percent: "20.0000" },
      ],
      [{ service: "ICT", amount: "100.01" }],
    );
    expect(
      Object.fromEntries(
        r.lines.map((l) => [
          l.council.gssCode,
          [fromPence(l.expectedPence!), l.shareBasis, l.appliedPercent, l.note],
        ]),
      ),
    ).toEqual({
      [CHESTERFIELD]: ["50.01", ShareBasis.AGREED, "50.0000", null],
      [BOLSOVER]: ["30.00", ShareBasis.AGREED, "30.0000", null],
      [NE_DERBYSHIRE]: ["20.00", ShareBasis.AGREED, "20.0000", null],
    });
  });

  it("counts a claim within the tolerance as matched, and one beyond it as over- or under-claimed", async () => {
    const members = equalThree;
    const figures: SeedFigure[] = [
      { service: "Audit", amount: "300.00" },
      { service: "Audit", gss: CHESTERFIELD, amount: "100.50" },
      { service: "Audit", gss: BOLSOVER, amount: "99.50" },
      { service: "Audit", gss: NE_DERBYSHIRE, amount: "100.51" },
    ];
    const strict = await reconcile(members, figures);
    expect(Object.values(byCouncil(strict)).map((v) => v[3])).toEqual([
      ReconciliationStatus.UNDER_CLAIMED,
      ReconciliationStatus.OVER_CLAIMED,
      ReconciliationStatus.OVER_CLAIMED,
    ]);
    const tolerant = await reconcile(members, figures, { tolerancePence: 50n });
    expect(byCouncil(tolerant)).toEqual({
      [BOLSOVER]: ["100.00", "99.50", "-0.50", ReconciliationStatus.MATCHED],
      [CHESTERFIELD]: [
        "100.00",
        "100.50",
        "0.50",
        ReconciliationStatus.MATCHED,
      ],
      [NE_DERBYSHIRE]: [
        "100.00",
        "100.51",
        "0.51",
        ReconciliationStatus.OVER_CLAIMED,
      ],
    });
  });

  it("flags double counting when the claims exceed the partnership's total", async () => {
    const r = await reconcile(equalThree, [
      { service: "Waste", amount: "300.00" },
      { service: "Waste", gss: CHESTERFIELD, amount: "100.00" },
      { service: "Waste", gss: BOLSOVER, amount: "100.00" },
      { service: "Waste", gss: NE_DERBYSHIRE, amount: "100.01" },
      { service: "Parks", amount: "90.00" },
      { service: "Parks", gss: CHESTERFIELD, amount: "30.00" },
    ]);
    const waste = r.services.find((s) => s.service.name === "Waste")!;
    expect([
      fromPence(waste.totalPence!),
      fromPence(waste.claimedPence),
      fromPence(waste.differencePence!),
    ]).toEqual(["300.00", "300.01", "0.01"]);
    expect(waste.doubleCounting).toBe(true);
    expect(
      r.services.find((s) => s.service.name === "Parks")!.doubleCounting,
    ).toBe(false);
    const cashable = r.totals.find((t) => t.cashable)!;
    expect([
      fromPence(cashable.totalPence),
      fromPence(cashable.claimedPence),
      fromPence(cashable.differencePence),
    ]).toEqual(["390.00", "330.01", "-59.99"]);
    expect(cashable.doubleCounting).toBe(true);
    expect(r.doubleCounting).toBe(true);
  });

  it("shares a negative (cost) total and flags no double counting while nobody claims", async () => {
    const r = await reconcile(equalThree, [
      { service: "Transition", amount: "-4500.00", cashable: false },
    ]);
    expect(Object.values(byCouncil(r, false))).toEqual([
      ["-1500.00", null, null, ReconciliationStatus.MISSING_CLAIM],
      ["-1500.00", null, null, ReconciliationStatus.MISSING_CLAIM],
      ["-1500.00", null, null, ReconciliationStatus.MISSING_CLAIM],
    ]);
    expect(r.doubleCounting).toBe(false);
  });

  it("reports a claim by a council that is not a member, or no longer one, as NON_MEMBER_CLAIM", async () => {
    const r = await reconcile(
      [
        { gss: CHESTERFIELD },
        { gss: BOLSOVER },
        { gss: NE_DERBYSHIRE, joinedOn: "2005-04-01", leftOn: "2009-03-31" },
      ],
      [
        { service: "HR", amount: "200.00" },
        { service: "HR", gss: CHESTERFIELD, amount: "100.00" },
        { service: "HR", gss: BOLSOVER, amount: "100.00" },
        { service: "HR", gss: NE_DERBYSHIRE, amount: "50.00" },
        { service: "HR", gss: HIGH_PEAK, amount: "25.00" },
      ],
    );
    expect(byCouncil(r)).toEqual({
      [BOLSOVER]: ["100.00", "100.00", "0.00", ReconciliationStatus.MATCHED],
      [CHESTERFIELD]: [
        "100.00",
        "100.00",
        "0.00",
        ReconciliationStatus.MATCHED,
      ],
      [HIGH_PEAK]: [null, "25.00", null, ReconciliationStatus.NON_MEMBER_CLAIM],
      [NE_DERBYSHIRE]: [
        null,
        "50.00",
        null,
        ReconciliationStatus.NON_MEMBER_CLAIM,
      ],
    });
    const notes = Object.fromEntries(
      r.lines.map((l) => [l.council.gssCode, l.note]),
    );
    expect(notes[HIGH_PEAK]).toBe("Not a member of the partnership.");
    expect(notes[NE_DERBYSHIRE]).toBe(
      "Not a member in 2009/10 (joined 2005-04-01, left 2009-03-31).",
    );
    // Non-members' claims still count against the total.
    expect(r.services[0]!.doubleCounting).toBe(true);
  });

  it("reports a member's claim on a service without a partnership total as CLAIM_WITHOUT_TOTAL", async () => {
    const r = await reconcile(equalThree, [
      { service: "Payroll", gss: CHESTERFIELD, amount: "10.00" },
      { service: "Payroll", gss: HIGH_PEAK, amount: "5.00" },
    ]);
    expect(byCouncil(r)).toEqual({
      [CHESTERFIELD]: [
        null,
        "10.00",
        null,
        ReconciliationStatus.CLAIM_WITHOUT_TOTAL,
      ],
      [HIGH_PEAK]: [null, "5.00", null, ReconciliationStatus.NON_MEMBER_CLAIM],
    });
    const cashable = r.totals.find((t) => t.cashable)!;
    expect(fromPence(cashable.claimedWithoutTotalPence)).toBe("15.00");
    expect(cashable.doubleCounting).toBe(false);
  });

  it("keeps cashable and non-cashable savings apart", async () => {
    const r = await reconcile(equalThree, [
      { service: "Benefits", amount: "300.00", cashable: true },
      { service: "Benefits", amount: "30.00", cashable: false },
      {
        service: "Benefits",
        gss: CHESTERFIELD,
        amount: "100.00",
        cashable: true,
      },
      {
        service: "Benefits",
        gss: CHESTERFIELD,
        amount: "10.00",
        cashable: false,
      },
      { service: "Benefits", gss: BOLSOVER, amount: "110.00", cashable: true },
    ]);
    expect(byCouncil(r, true)).toEqual({
      [BOLSOVER]: [
        "100.00",
        "110.00",
        "10.00",
        ReconciliationStatus.OVER_CLAIMED,
      ],
      [CHESTERFIELD]: [
        "100.00",
        "100.00",
        "0.00",
        ReconciliationStatus.MATCHED,
      ],
      [NE_DERBYSHIRE]: [
        "100.00",
        null,
        null,
        ReconciliationStatus.MISSING_CLAIM,
      ],
    });
    expect(byCouncil(r, false)).toEqual({
      [BOLSOVER]: ["10.00", null, null, ReconciliationStatus.MISSING_CLAIM],
      [CHESTERFIELD]: ["10.00", "10.00", "0.00", ReconciliationStatus.MATCHED],
      [NE_DERBYSHIRE]: [
        "10.00",
        null,
        null,
        ReconciliationStatus.MISSING_CLAIM,
      ],
    });
    expect(
      r.totals.map((t) => [
        t.cashable,
        fromPence(t.totalPence),
        fromPence(t.claimedPence),
      ]),
    ).toEqual([
      [true, "300.00", "210.00"],
      [false, "30.00", "10.00"],
    ]);
  });

  it("uses, as of a reporting period, each figure's latest period not after it", async () => {
    const members = [{ gss: CHESTERFIELD }, { gss: BOLSOVER }];
    const figures: SeedFigure[] = [
      { service: "Revenues", amount: "100.00", period: "2009-09" },
      { service: "Revenues", amount: "200.00", period: "2010-03" },
      {
        service: "Revenues",
        gss: CHESTERFIELD,
        amount: "50.00",
        period: "2009-09",
      },
      {
        service: "Revenues",
        gss: CHESTERFIELD,
        amount: "90.00",
        period: "2009-12",
      },
      {
        service: "Revenues",
        gss: BOLSOVER,
        amount: "100.00",
        period: "2010-03",
      },
      {
        service: "Revenues",
        gss: BOLSOVER,
        amount: "1.00",
        period: "2010-06",
        year: 2010,
      },
    ];
    const latest = await reconcile(members, figures);
    expect(byCouncil(latest)).toEqual({
      [BOLSOVER]: ["100.00", "100.00", "0.00", ReconciliationStatus.MATCHED],
      [CHESTERFIELD]: [
        "100.00",
        "90.00",
        "-10.00",
        ReconciliationStatus.UNDER_CLAIMED,
      ],
    });
    expect(latest.latestPeriod).toBe("2010-03");
    const december = await reconcile(members, figures, { asOf: "2009-12" });
    expect(byCouncil(december)).toEqual({
      [BOLSOVER]: ["50.00", null, null, ReconciliationStatus.MISSING_CLAIM],
      [CHESTERFIELD]: [
        "50.00",
        "90.00",
        "40.00",
        ReconciliationStatus.OVER_CLAIMED,
      ],
    });
    expect(december.latestPeriod).toBe("2009-12");
    const september = await reconcile(members, figures, { asOf: "2009-09" });
    expect(byCouncil(september)[CHESTERFIELD]).toEqual([
      "50.00",
      "50.00",
      "0.00",
      ReconciliationStatus.MATCHED,
    ]);
  });

  it("reconciles only the measure asked for", async () => {
    const r = await reconcile(
      equalThree,
      [
        { service: "Legal", amount: "300.00", measure: SavingsMeasure.TARGET },
        {
          service: "Legal",
          gss: CHESTERFIELD,
          amount: "100.00",
          measure: SavingsMeasure.TARGET,
        },
        { service: "Legal", gss: CHESTERFIELD, amount: "70.00" },
      ],
      { measure: SavingsMeasure.TARGET },
    );
    expect(byCouncil(r)[CHESTERFIELD]).toEqual([
      "100.00",
      "100.00",
      "0.00",
      ReconciliationStatus.MATCHED,
    ]);
    expect(r.lines).toHaveLength(3);
  });

  it("links each line to the figures it came from and lists their import runs", async () => {
    const r = await reconcile(equalThree, [
      { service: "ICT", amount: "3.00", sheet: "Totals", cell: "C7" },
      {
        service: "ICT",
        gss: BOLSOVER,
        amount: "1.00",
        sheet: "Bolsover",
        cell: "E12",
      },
    ]);
    const line = r.lines.find((l) => l.council.gssCode === BOLSOVER)!;
    expect([
      line.totalFigure?.sourceSheet,
      line.totalFigure?.sourceCell,
    ]).toEqual(["Totals", "C7"]);
    expect([
      line.claimFigure?.sourceSheet,
      line.claimFigure?.sourceCell,
    ]).toEqual(["Bolsover", "E12"]);
    expect(r.importRuns.map((run) => run.fileName)).toEqual([
      `Partnership ${seq} tracker.xlsx`,
    ]);
  });

  it("loads any number of partnerships, services and figures in a fixed number of statements", async () => {
    const small = await seedSavings(db.orm.em, {
      name: "Small",
      members: equalThree,
      figures: [{ service: "A", amount: "3.00" }],
    });
    const big = await seedSavings(db.orm.em, {
      name: "Big",
      members: [...equalThree, { gss: HIGH_PEAK }],
      figures: ["A", "B", "C", "D", "E"].flatMap((service) => [
        { service, amount: "4.00" },
        { service, gss: CHESTERFIELD, amount: "1.00" },
        { service, gss: BOLSOVER, amount: "1.00", cashable: false },
      ]),
    });
    db.resetQueryLog();
    await loadReconciliations(db.orm.em.fork(), [small.partnership], query());
    const one = db.queries.length;
    db.resetQueryLog();
    await loadReconciliations(
      db.orm.em.fork(),
      [small.partnership, big.partnership],
      query(),
    );
    expect(db.queries.length).toBe(one);
    expect(one).toBeLessThanOrEqual(2);
  });
});

describe("council savings position", () => {
  it("sets every share a council claims across its partnerships beside what the totals give it", async () => {
    await seedSavings(db.orm.em, {
      name: "Position A",
      members: equalThree,
      figures: [
        { service: "Revenues", amount: "300.00" },
        { service: "Revenues", gss: SOUTH_DERBYSHIRE, amount: "5.00" },
        { service: "Revenues", gss: CHESTERFIELD, amount: "120.00" },
        { service: "Revenues", amount: "30.00", cashable: false },
      ],
    });
    await seedSavings(db.orm.em, {
      name: "Position B",
      members: [
        { gss: SOUTH_DERBYSHIRE, percent: "75" },
        { gss: BOLSOVER, percent: "25" },
      ],
      figures: [
        { service: "Legal", amount: "100.00" },
        { service: "Legal", gss: SOUTH_DERBYSHIRE, amount: "75.00" },
      ],
    });
    const em = db.orm.em.fork();
    const southDerbyshire = await em.findOneOrFail(Council, {
      gssCode: SOUTH_DERBYSHIRE,
    });
    const position = await loadCouncilSavingsPosition(
      em,
      southDerbyshire,
      query(),
    );
    expect(
      position.lines.map((l) => [
        l.partnership.name,
        l.service.name,
        l.cashable,
        l.expectedPence === null ? null : fromPence(l.expectedPence),
        fromPence(l.claimedPence!),
        l.status,
      ]),
    ).toEqual([
      [
        "Position A",
        "Revenues",
        true,
        null,
        "5.00",
        ReconciliationStatus.NON_MEMBER_CLAIM,
      ],
      [
        "Position B",
        "Legal",
        true,
        "75.00",
        "75.00",
        ReconciliationStatus.MATCHED,
      ],
    ]);
    expect(
      position.totals.map((t) => [
        t.cashable,
        fromPence(t.expectedPence),
        fromPence(t.claimedPence),
        fromPence(t.differencePence),
      ]),
    ).toEqual([
      [true, "75.00", "80.00", "5.00"],
      [false, "0.00", "0.00", "0.00"],
    ]);

    const chesterfield = await em.findOneOrFail(Council, {
      gssCode: CHESTERFIELD,
    });
    const mine = await loadCouncilSavingsPosition(em, chesterfield, query());
    const a = mine.lines.filter((l) => l.partnership.name === "Position A");
    expect(
      a.map((l) => [l.cashable, fromPence(l.expectedPence!), l.status]),
    ).toEqual([
      [true, "100.00", ReconciliationStatus.OVER_CLAIMED],
      [false, "10.00", ReconciliationStatus.MISSING_CLAIM],
    ]);
  });
});

describe("findPartnership", () => {
  it("finds a partnership by global id, database id or name in any case, and refuses unknown ones", async () => {
    const { partnership } = await seedSavings(db.orm.em, {
      name: "North Derbyshire Shared Services",
      members: equalThree,
      figures: [],
    });
    const em = db.orm.em.fork();
    for (const reference of [
      toGlobalId("Partnership", partnership.id),
      String(partnership.id),
      "north derbyshire shared services",
    ])
      expect((await findPartnership(em, reference)).id).toBe(partnership.id);
    await expect(
      findPartnership(em, "Nowhere Partnership"),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      findPartnership(em, toGlobalId("Council", 1)),
    ).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
  });
});

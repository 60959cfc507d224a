import { nationalFinance } from "../support/callers.js";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadReconciliations } from "../../reconcile/load-reconciliations.js";
import {
  HEADER_ROW,
  LINE_HEADERS,
  reconciliationWorkbookBytes,
} from "../../reconcile/reconciliation-workbook.js";
import { toGlobalId } from "../../schema/global-id.js";
import type { Partnership } from "../../schema/partnership.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import {
  BOLSOVER,
  CHESTERFIELD,
  HIGH_PEAK,
  NE_DERBYSHIRE,
  seedSavings,
} from "../reconcile/savings-seed.js";
import { createTestGraphql, type TestGraphql } from "../support/graphql.js";
import { useTestDatabase } from "../support/test-database.js";
import { openWorkbook } from "../reconcile/open-workbook.js";

const db = useTestDatabase();
let gql: TestGraphql;
let partnership: Partnership;

beforeAll(async () => {
  gql = await createTestGraphql(db.orm, { caller: nationalFinance });
  ({ partnership } = await seedSavings(db.orm.em, {
    name: "Derbyshire Shared Services",
    members: [
      { gss: CHESTERFIELD, percent: "50" },
      { gss: BOLSOVER, percent: "30" },
      { gss: NE_DERBYSHIRE, percent: "20" },
    ],
    figures: [
      {
        service: "Revenues",
        amount: "1000.01",
        sheet: "Partnership",
        cell: "D4",
      },
      {
        service: "Revenues",
        gss: CHESTERFIELD,
        amount: "500.01",
        sheet: "CBC",
        cell: "D9",
      },
      {
        service: "Revenues",
        gss: BOLSOVER,
        amount: "350.00",
        sheet: "BDC",
        cell: "D9",
      },
      { service: "Revenues", amount: "90.00", cashable: false },
      {
        service: "Revenues",
        gss: NE_DERBYSHIRE,
        amount: "18.00",
        cashable: false,
      },
      { service: "Legal", gss: HIGH_PEAK, amount: "12.34" },
      {
        service: "Legal",
        gss: CHESTERFIELD,
        amount: "5.00",
        period: "2009-09",
      },
    ],
  }));
});

const RECONCILIATION = `query ($partnership: ID!, $year: FinancialYear!, $measure: SavingsMeasure, $asOf: String, $tolerance: String) {
  reconciliation(partnership: $partnership, financialYear: $year, measure: $measure, asOf: $asOf, tolerance: $tolerance) {
    partnership { name }
    financialYear measure asOf latestPeriod tolerance { amount currency }
    doubleCounting warnings
    importRuns { fileName }
    lines {
      service { name } council { gssCode shortName } cashable member shareBasis sharePercent
      partnershipTotal { amount } expected { amount } claimed { amount } variance { amount }
      status note
      totalFigure { sourceSheet sourceCell reportingPeriod }
      claimFigure { sourceSheet sourceCell reportingPeriod }
    }
    services { service { name } cashable partnershipTotal { amount } claimed { amount } difference { amount } doubleCounting }
    totals { cashable partnershipTotal { amount } claimed { amount } claimedWithoutTotal { amount } difference { amount } doubleCounting }
  }
}`;

type Amount = { amount: string } | null;
interface LineData {
  service: { name: string };
  council: { gssCode: string; shortName: string };
  cashable: boolean;
  member: boolean;
  shareBasis: string | null;
  sharePercent: string | null;
  partnershipTotal: Amount;
  expected: Amount;
  claimed: Amount;
  variance: Amount;
  status: string;
  note: string | null;
  totalFigure: { sourceSheet: string; sourceCell: string } | null;
  claimFigure: {
    sourceSheet: string;
    sourceCell: string;
    reportingPeriod: string;
  } | null;
}
interface ReconciliationData {
  reconciliation: {
    partnership: { name: string };
    financialYear: string;
    measure: string;
    asOf: string | null;
    latestPeriod: string | null;
    tolerance: { amount: string; currency: string };
    doubleCounting: boolean;
    warnings: string[];
    importRuns: { fileName: string }[];
    lines: LineData[];
    services: {
      service: { name: string };
      cashable: boolean;
      doubleCounting: boolean;
      claimed: Amount;
      partnershipTotal: Amount;
    }[];
    totals: {
      cashable: boolean;
      partnershipTotal: Amount;
      claimed: Amount;
      claimedWithoutTotal: Amount;
      difference: Amount;
      doubleCounting: boolean;
    }[];
  };
}

const amount = (a: Amount) => a?.amount ?? null;

describe("reconciliation(partnership:, financialYear:)", () => {
  it("answers every line with its share, claim, variance, status and source cells", async () => {
    const result = await gql.run<ReconciliationData>(RECONCILIATION, {
      partnership: "Derbyshire Shared Services",
      year: "2009/10",
    });
    expect(result.errors).toBeUndefined();
    const r = result.data!.reconciliation;
    expect([
      r.partnership.name,
      r.financialYear,
      r.measure,
      r.asOf,
      r.latestPeriod,
    ]).toEqual([
      "Derbyshire Shared Services",
      "2009/10",
      "ACHIEVED",
      null,
      "2010-03",
    ]);
    expect(r.tolerance).toEqual({ amount: "0.00", currency: "GBP" });
    expect(
      r.lines.map((l) => [
        l.service.name,
        l.cashable,
        l.council.gssCode,
        amount(l.expected),
        amount(l.claimed),
        amount(l.variance),
        l.status,
      ]),
    ).toEqual([
      ["Legal", true, CHESTERFIELD, null, "5.00", null, "CLAIM_WITHOUT_TOTAL"],
      ["Legal", true, HIGH_PEAK, null, "12.34", null, "NON_MEMBER_CLAIM"],
      ["Revenues", true, BOLSOVER, "300.00", "350.00", "50.00", "OVER_CLAIMED"],
      ["Revenues", true, CHESTERFIELD, "500.01", "500.01", "0.00", "MATCHED"],
      ["Revenues", true, NE_DERBYSHIRE, "200.00", null, null, "MISSING_CLAIM"],
      ["Revenues", false, BOLSOVER, "27.00", null, null, "MISSING_CLAIM"],
      ["Revenues", false, CHESTERFIELD, "45.00", null, null, "MISSING_CLAIM"],
      ["Revenues", false, NE_DERBYSHIRE, "18.00", "18.00", "0.00", "MATCHED"],
    ]);
    const bolsover = r.lines.find(
      (l) => l.council.gssCode === BOLSOVER && l.cashable,
    )!;
    expect(bolsover).toMatchObject({
      member: true,
      shareBasis: "AGREED",
      sharePercent: "30.0000",
      partnershipTotal: { amount: "1000.01" },
      totalFigure: { sourceSheet: "Partnership", sourceCell: "D4" },
      claimFigure: {
        sourceSheet: "BDC",
        sourceCell: "D9",
        reportingPeriod: "2010-03",
      },
    });
    expect(r.doubleCounting).toBe(false);
    expect(
      r.services.find((s) => s.service.name === "Revenues" && s.cashable),
    ).toMatchObject({
      doubleCounting: false,
      claimed: { amount: "850.01" },
      partnershipTotal: { amount: "1000.01" },
    });
    expect(r.totals).toEqual([
      {
        cashable: true,
        partnershipTotal: { amount: "1000.01" },
        claimed: { amount: "850.01" },
        claimedWithoutTotal: { amount: "17.34" },
        difference: { amount: "-150.00" },
        doubleCounting: false,
      },
      {
        cashable: false,
        partnershipTotal: { amount: "90.00" },
        claimed: { amount: "18.00" },
        claimedWithoutTotal: { amount: "0.00" },
        difference: { amount: "-72.00" },
        doubleCounting: false,
      },
    ]);
    expect(r.importRuns.map((run) => run.fileName)).toEqual([
      "Derbyshire Shared Services tracker.xlsx",
    ]);
  });

  it("accepts the partnership's global id and database id as well as its name", async () => {
    for (const id of [
      toGlobalId("Partnership", partnership.id),
      String(partnership.id),
      "derbyshire shared SERVICES",
    ]) {
      const result = await gql.run<ReconciliationData>(RECONCILIATION, {
        partnership: id,
        year: "2009/10",
      });
      expect(result.errors, id).toBeUndefined();
      expect(result.data!.reconciliation.partnership.name).toBe(
        "Derbyshire Shared Services",
      );
    }
  });

  it("applies asOf, tolerance and measure", async () => {
    const september = await gql.run<ReconciliationData>(RECONCILIATION, {
      partnership: "Derbyshire Shared Services",
      year: "2009/10",
      asOf: "2009-09",
    });
    expect(
      september.data!.reconciliation.lines.map((l) => [
        l.council.gssCode,
        l.status,
      ]),
    ).toEqual([[CHESTERFIELD, "CLAIM_WITHOUT_TOTAL"]]);
    const tolerant = await gql.run<ReconciliationData>(RECONCILIATION, {
      partnership: "Derbyshire Shared Services",
      year: "2009/10",
      tolerance: "50.00",
    });
    const bolsover = tolerant.data!.reconciliation.lines.find(
      (l) => l.council.gssCode === BOLSOVER && l.cashable,
    )!;
    expect(bolsover.status).toBe("MATCHED");
    expect(tolerant.data!.reconciliation.tolerance.amount).toBe("50.00");
    const target = await gql.run<ReconciliationData>(RECONCILIATION, {
      partnership: "Derbyshire Shared Services",
      year: "2009/10",
      measure: SavingsMeasure.TARGET,
    });
    expect(target.data!.reconciliation.lines).toEqual([]);
  });

  it("refuses bad arguments with BAD_USER_INPUT and an unknown partnership with NOT_FOUND", async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        {
          partnership: "Derbyshire Shared Services",
          year: "2009/10",
          asOf: "March 2010",
        },
        "BAD_USER_INPUT",
        /YYYY-MM/,
      ],
      [
        {
          partnership: "Derbyshire Shared Services",
          year: "2009/10",
          tolerance: "-1",
        },
        "BAD_USER_INPUT",
        /tolerance/,
      ],
      [
        { partnership: "Derbyshire Shared Services", year: "2009/11" },
        "BAD_USER_INPUT",
        /FinancialYear/,
      ],
      [
        { partnership: "No Such Partnership", year: "2009/10" },
        "NOT_FOUND",
        /No Such Partnership/,
      ],
      [
        { partnership: toGlobalId("Council", 1), year: "2009/10" },
        "BAD_USER_INPUT",
        /not of a Partnership/,
      ],
    ];
    for (const [variables, code, message] of cases) {
      const result = await gql.run(RECONCILIATION, variables);
      expect(
        result.errors?.[0]?.extensions?.code,
        JSON.stringify(variables),
      ).toBe(code);
      expect(result.errors![0]!.message).toMatch(message);
    }
  });
});

describe("Council.savingsPosition(financialYear:)", () => {
  it("lists the council's shares and claims across its partnerships, with totals per kind", async () => {
    const result = await gql.run<{
      council: {
        savingsPosition: {
          financialYear: string;
          lines: LineData[];
          totals: {
            cashable: boolean;
            expected: Amount;
            claimed: Amount;
            difference: Amount;
          }[];
        };
      };
    }>(
      `{ council(code: "${CHESTERFIELD}") { savingsPosition(financialYear: "2009/10") {
          financialYear
          lines { service { name } cashable status expected { amount } claimed { amount } }
          totals { cashable expected { amount } claimed { amount } difference { amount } }
      } } }`,
    );
    expect(result.errors).toBeUndefined();
    const position = result.data!.council.savingsPosition;
    expect(position.financialYear).toBe("2009/10");
    expect(
      position.lines.map((l) => [
        l.service.name,
        l.cashable,
        l.status,
        amount(l.expected),
        amount(l.claimed),
      ]),
    ).toEqual([
      ["Legal", true, "CLAIM_WITHOUT_TOTAL", null, "5.00"],
      ["Revenues", true, "MATCHED", "500.01", "500.01"],
      ["Revenues", false, "MISSING_CLAIM", "45.00", null],
    ]);
    expect(position.totals).toEqual([
      {
        cashable: true,
        expected: { amount: "500.01" },
        claimed: { amount: "505.01" },
        difference: { amount: "5.00" },
      },
      {
        cashable: false,
        expected: { amount: "45.00" },
        claimed: { amount: "0.00" },
        difference: { amount: "-45.00" },
      },
    ]);
  });
});

describe("the exported workbook", () => {
  it("opens in exceljs with the same figures as the GraphQL answer", async () => {
    const result = await gql.run<ReconciliationData>(RECONCILIATION, {
      partnership: String(partnership.id),
      year: "2009/10",
    });
    const lines = result.data!.reconciliation.lines;
    const reconciliations = await loadReconciliations(
      db.orm.em.fork(),
      [partnership],
      {
        financialYear: 2009,
        measure: SavingsMeasure.ACHIEVED,
        asOf: null,
        tolerancePence: 0n,
      },
    );
    const workbook = await openWorkbook(
      await reconciliationWorkbookBytes(reconciliations),
    );
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      "Summary",
      "Derbyshire Shared Services",
    ]);
    const sheet = workbook.getWorksheet("Derbyshire Shared Services")!;
    const col = (title: (typeof LINE_HEADERS)[number]) =>
      LINE_HEADERS.indexOf(title) + 1;
    const money = (value: ExcelJS.CellValue) =>
      typeof value === "number" ? value.toFixed(2) : null;
    const rows = lines.map((_, index) => sheet.getRow(HEADER_ROW + 1 + index));
    expect(
      rows.map((row) => [
        row.getCell(col("Service")).value,
        row.getCell(col("Kind")).value === "Cashable",
        row.getCell(col("GSS code")).value,
        money(row.getCell(col("Expected share")).value),
        money(row.getCell(col("Claimed")).value),
        money(row.getCell(col("Variance")).value),
        row.getCell(col("Status")).value,
      ]),
    ).toEqual(
      lines.map((l) => [
        l.service.name,
        l.cashable,
        l.council.gssCode,
        amount(l.expected),
        amount(l.claimed),
        amount(l.variance),
        l.status,
      ]),
    );
    expect(
      sheet.getRow(HEADER_ROW + 1 + lines.length).getCell(1).value,
    ).toBeNull();
    const summary = workbook.getWorksheet("Summary")!;
    const revenues = summary.getRow(HEADER_ROW + 1);
    expect([
      revenues.getCell(2).value,
      money(revenues.getCell(4).value),
      money(revenues.getCell(5).value),
      revenues.getCell(7).value,
    ]).toEqual(["Legal", null, "17.34", ""]);
  });
});

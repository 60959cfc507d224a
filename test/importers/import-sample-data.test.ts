import { beforeAll, describe, expect, it } from "vitest";
import { importSampleData } from "../../importers/import-sample-data.js";
import type { ImportReport } from "../../importers/import-workbook.js";
import { FundingAward } from "../../schema/funding-award.js";
import { GovernanceBody } from "../../schema/governance-body.js";
import { GovernanceSeat } from "../../schema/governance-seat.js";
import { Membership } from "../../schema/membership.js";
import { Service } from "../../schema/service.js";
import { useTestDatabase } from "../support/test-database.js";

const db = useTestDatabase();
let reports: ImportReport[];
const logs: string[] = [];
beforeAll(async () => {
  reports = (await importSampleData(db.orm, (line) => logs.push(line)))!;
});

async function service(name: string) {
  return db.orm.em
    .fork()
    .findOneOrFail(
      Service,
      { name },
      { populate: ["hostCouncil", "partnership", "governingBody"] },
    );
}

describe("the sample workbooks, every layout, through the pipeline", () => {
  it("imports every sample on an empty database, and only then", async () => {
    expect(reports.map((r) => [r.file, r.status])).toEqual(
      reports.map((r) => [r.file, "IMPORTED"]),
    );
    expect(logs.at(-1)).toMatch(/imported 11 sample workbooks/);
    expect(await importSampleData(db.orm, () => undefined)).toBeNull();
  });

  it("reads the Cheshire list: two categories, both councils, the footnote kept as a note", async () => {
    const yot = await service("Youth Offending Team");
    expect(yot.category).toBe("Cheshire-wide services");
    expect(yot.notes).toBe(
      "* Youth Offending Team: to be reviewed once the Joint Committee is in place.",
    );
    expect((await service("Autism Support")).category).toBe(
      "Transitional arrangements",
    );
    expect((await service("PARIS")).status).toBe("PROPOSED");
    const members = await db.orm.em
      .fork()
      .find(
        Membership,
        { partnership: { name: "Cheshire Shared Services" } },
        { populate: ["council"] },
      );
    expect(members.map((m) => m.council.gssCode).sort()).toEqual([
      "E06000049",
      "E06000050",
    ]);
    const cheshire = reports[0]!;
    expect(cheshire.problems).toMatchObject([
      { code: "hidden-sheet", sheet: "Lookups" },
    ]);
  });

  it("reads the Derbyshire workstreams: hosts CBC and BDC, savings in every form, dates exact and loose", async () => {
    const audit = await service("Internal Audit");
    expect(audit.hostCouncil?.gssCode).toBe("E07000034");
    expect(audit.goLiveDate).toBe("2007-04-01");
    expect(audit.estimatedAnnualSaving).toBe("30000.00");
    const procurement = await service("Procurement");
    expect(procurement.hostCouncil?.gssCode).toBe("E07000033");
    expect(procurement.estimatedAnnualSaving).toBe("357000.00");
    expect([
      procurement.goLiveText,
      procurement.goLiveFrom,
      procurement.goLiveTo,
    ]).toEqual(["April 2007", "2007-04-01", "2007-04-30"]);
    const buildingControl = await service("Building Control");
    expect([
      buildingControl.goLiveText,
      buildingControl.goLiveFrom,
      buildingControl.goLiveTo,
    ]).toEqual(["mid 2007", "2007-05-01", "2007-08-31"]);
    expect(buildingControl.estimatedAnnualSaving).toBe("80000.00");
    expect(buildingControl.governingBody?.name).toBe("Joint Board");
    expect((await service("Corporate Services")).goLiveText).toBe(
      "Summer 2007",
    );
  });

  it("reads governance lists with their kinds and seats", async () => {
    const em = db.orm.em.fork();
    const bodies = await em.find(
      GovernanceBody,
      {},
      { orderBy: { name: "asc" } },
    );
    expect(bodies.map((b) => [b.name, b.kind])).toEqual(
      expect.arrayContaining([
        ["Joint Committee", "JOINT_COMMITTEE"],
        ["Joint Board", "JOINT_BOARD"],
        ["Officer Steering Group", "STEERING_GROUP"],
        ["Joint Employee/Trade Union Consultative Forum", "CONSULTATIVE_FORUM"],
        ["Shared Services Board", "JOINT_BOARD"],
      ]),
    );
    const seats = await em.find(
      GovernanceSeat,
      { body: { name: "Joint Board" } },
      { populate: ["council"] },
    );
    expect(
      seats.map((s) => [s.council.gssCode, s.seats, s.role]).sort(),
    ).toEqual([
      ["E07000033", 3, "Leaders, Deputy Leaders and Chief Executives"],
      ["E07000034", 3, "Leaders, Deputy Leaders and Chief Executives"],
      ["E07000038", 3, "Leaders, Deputy Leaders and Chief Executives"],
    ]);
  });

  it("reads funding: the RCE's £100k and the Transformation Challenge Fund's £0.5M", async () => {
    const awards = await db.orm.em
      .fork()
      .find(FundingAward, {}, { orderBy: { amount: "asc" } });
    expect(awards.map((a) => [a.funder, a.amount, a.awardedText])).toEqual([
      ["Regional Centre of Excellence (RCE)", "100000.00", "May 2005"],
      ["Transformation Challenge Fund", "500000.00", null],
    ]);
  });

  it("reads Bromsgrove and Redditch with WETT: a 1904-dated workbook, two hosts, £246,000 under £000", async () => {
    const regulatory = await service("Regulatory Services");
    expect(regulatory.goLiveDate).toBe("2010-06-01");
    expect(regulatory.partnership.name).toBe(
      "Worcestershire Enhanced Two Tier (WETT)",
    );
    expect(regulatory.hostCouncil).toBeNull();
    expect(regulatory.extra).toEqual({
      "Hosted by (as written)": "Bromsgrove and Redditch Councils",
    });
    const rows = await db.orm.em
      .fork()
      .getConnection()
      .execute<{ amount: string; reporting_period: string; measure: string }[]>(
        `select f.amount, f.reporting_period, f.measure from savings_figure f join service s on s.id = f.service_id
       where s.name = 'Single management team' order by f.reporting_period, f.measure`,
      );
    expect(rows).toEqual([
      { amount: "246000.00", reporting_period: "2010-06", measure: "TARGET" },
      { amount: "246000.00", reporting_period: "2010-07", measure: "FORECAST" },
      { amount: "246000.00", reporting_period: "2010-07", measure: "TARGET" },
    ]);
  });

  it("plants the reconciliation cases: Bolsover over-claims Procurement, North East Derbyshire has no claim, the rest match", async () => {
    const rows = await db.orm.em
      .fork()
      .getConnection()
      .execute<{ service: string; council: string | null; amount: string }[]>(
        `select s.name as service, c.short_name as council, f.amount from savings_figure f
       join service s on s.id = f.service_id left join council c on c.id = f.council_id
       where f.reporting_period = '2008-06' and f.financial_year = 2007 and f.measure = 'ACHIEVED' and f.cashable
       order by s.name, c.short_name nulls first`,
      );
    const procurement = rows.filter((r) => r.service === "Procurement");
    expect(procurement).toEqual([
      { service: "Procurement", council: null, amount: "357000.00" },
      { service: "Procurement", council: "Bolsover", amount: "150000.00" },
      { service: "Procurement", council: "Chesterfield", amount: "119000.00" },
    ]);
    expect(
      rows.filter((r) => r.service === "Internal Audit").map((r) => r.amount),
    ).toEqual(["30000.00", "10000.00", "10000.00", "10000.00"]);
  });
});

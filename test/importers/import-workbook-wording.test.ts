import { describe, expect, it } from "vitest";
import { importWorkbook } from "../../importers/import-workbook.js";
import { useTestDatabase } from "../support/test-database.js";
import { figures, longTracker } from "./support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

const db = useTestDatabase();
const dir = workbookDir();

const CHESHIRE_EAST = "E06000049";
const CWAC = "E06000050";

async function members(partnership: string): Promise<string[]> {
  const rows = await db.orm.em
    .fork()
    .getConnection()
    .execute<{ gss_code: string }[]>(
      `select c.gss_code from membership m join partnership p on p.id = m.partnership_id
       join council c on c.id = m.council_id where p.name = ? order by c.gss_code`,
      [partnership],
    );
  return rows.map((r) => r.gss_code);
}

async function seats(
  partnership: string,
): Promise<{ body: string; gss_code: string; seats: number | null }[]> {
  return db.orm.em
    .fork()
    .getConnection()
    .execute(
      `select b.name as body, c.gss_code, s.seats from governance_seat s
       join governance_body b on b.id = s.body_id join partnership p on p.id = b.partnership_id
       join council c on c.id = s.council_id where p.name = ? order by b.name, c.gss_code`,
      [partnership],
    );
}

describe("council lists in one cell", () => {
  it("reads every common list form in service partners, governance membership and the title's partner line", async () => {
    const forms = [
      "Cheshire East Council & Cheshire West and Chester Council",
      "Cheshire East and Cheshire West and Chester",
      "Cheshire East / Cheshire West and Chester",
      "Cheshire East; Cheshire West and Chester",
      "Cheshire East + Cheshire West and Chester",
      "Cheshire East\nCheshire West and Chester",
      "Cheshire East, Cheshire West and Chester Councils",
    ];
    const path = await writeTestWorkbook(dir, {
      file: "council-lists.xlsx",
      sheets: [
        {
          name: "Services",
          title: [
            ["Partnership:", "List Partnership"],
            [
              "Partners:",
              "Cheshire East Council & Cheshire West and Chester Council",
            ],
          ],
          header: ["Service", "Partner councils"],
          rows: forms.map((form, i) => [`Service ${i + 1}`, form]),
        },
        {
          name: "Governance",
          title: [["Partnership:", "List Partnership"]],
          header: ["Body", "Membership"],
          rows: [
            [
              "Joint Committee",
              "Cheshire East Council & Cheshire West and Chester Council",
            ],
          ],
        },
      ],
    });
    const report = await importWorkbook(db.orm, path);
    expect(report.problems).toEqual([]);
    expect(report.status).toBe("IMPORTED");
    expect(await members("List Partnership")).toEqual([CHESHIRE_EAST, CWAC]);
    expect(await seats("List Partnership")).toEqual([
      { body: "Joint Committee", gss_code: CHESHIRE_EAST, seats: null },
      { body: "Joint Committee", gss_code: CWAC, seats: null },
    ]);
  });

  it("names the piece that is no council, in its cell", async () => {
    const path = await writeTestWorkbook(dir, {
      file: "council-list-unknown.xlsx",
      sheets: [
        {
          name: "Services",
          title: [["Partnership:", "Unknown List Partnership"]],
          header: ["Service", "Partner councils"],
          rows: [["Payroll", "Cheshire East & Gotham City Council"]],
        },
      ],
    });
    const report = await importWorkbook(db.orm, path);
    expect(report.status).toBe("REFUSED");
    expect(report.problems).toMatchObject([
      {
        code: "unknown-council",
        cell: "B3",
        value: "Cheshire East & Gotham City Council",
        message: expect.stringContaining('"Gotham City Council" in B3'),
      },
    ]);
  });
});

describe("the reporting period", () => {
  it('reads "P3 2010/11" in the title and says where the period came from', async () => {
    const path = await writeTestWorkbook(
      dir,
      longTracker("p3-tracker.xlsx", null, figures(2), [["P3 2010/11"]]),
    );
    const report = await importWorkbook(db.orm, path);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      status: "IMPORTED",
      reportingPeriod: "2010-06",
      reportingPeriodSource: "the period written in Tracker!A4",
    });
    expect(report.sheets[0]).toMatchObject({
      period: "2010-06",
      periodSource: "the period written in Tracker!A4",
    });
  });

  it("takes the period from the file name when the workbook says none", async () => {
    const path = await writeTestWorkbook(
      dir,
      longTracker("tracker-2010-07.xlsx", null, figures(2)),
    );
    const report = await importWorkbook(db.orm, path);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      status: "IMPORTED",
      reportingPeriod: "2010-07",
      reportingPeriodSource: 'the file name "tracker-2010-07.xlsx"',
    });
  });

  it("refuses a workbook whose title and file name name different months, naming both", async () => {
    const path = await writeTestWorkbook(
      dir,
      longTracker("tracker-2010-08.xlsx", "September 2010", figures(2)),
    );
    const report = await importWorkbook(db.orm, path);
    expect(report.status).toBe("REFUSED");
    expect(report.problems).toMatchObject([
      {
        code: "bad-period",
        severity: "error",
        sheet: "Tracker",
        cell: "B2",
        message:
          'the period written in Tracker!B2 says the period is 2010-09, but the file name "tracker-2010-08.xlsx" says 2010-08: correct one of them, or import with --period.',
      },
    ]);
    const overridden = await importWorkbook(db.orm, path, {
      period: "2010-09",
    });
    expect(overridden.status).toBe("IMPORTED");
    expect(overridden.problems).toMatchObject([
      { code: "bad-period", severity: "warning" },
    ]);
  });
});

describe("governance seats in any common wording", () => {
  it("reads counts after names, in brackets, from each council, equal numbers and council columns", async () => {
    const path = await writeTestWorkbook(dir, {
      file: "seats.xlsx",
      sheets: [
        {
          name: "Governance",
          title: [
            ["Partnership:", "Seats Partnership"],
            ["Partners:", "Cheshire East; Cheshire West and Chester"],
          ],
          header: ["Body", "Type", "Membership"],
          rows: [
            [
              "Joint Committee",
              "Joint committee",
              "Cheshire East: 3 elected members; Cheshire West and Chester: 3",
            ],
            ["Scrutiny Panel", "Panel", "Cheshire East (2), CWaC (1)"],
            ["Programme Board", "Board", "3 members from each council"],
            ["Officer Group", "Steering group", "equal numbers"],
          ],
        },
        {
          name: "Seats by council",
          title: [["Partnership:", "Seats Partnership"]],
          header: ["Body", "Chair", "Cheshire East", "CWaC"],
          rows: [["Audit Forum", "Cllr Smith", 4, "two"]],
        },
      ],
    });
    const report = await importWorkbook(db.orm, path);
    expect(report.problems).toEqual([]);
    expect(report.status).toBe("IMPORTED");
    expect(await seats("Seats Partnership")).toEqual([
      { body: "Audit Forum", gss_code: CHESHIRE_EAST, seats: 4 },
      { body: "Audit Forum", gss_code: CWAC, seats: 2 },
      { body: "Joint Committee", gss_code: CHESHIRE_EAST, seats: 3 },
      { body: "Joint Committee", gss_code: CWAC, seats: 3 },
      { body: "Officer Group", gss_code: CHESHIRE_EAST, seats: null },
      { body: "Officer Group", gss_code: CWAC, seats: null },
      { body: "Programme Board", gss_code: CHESHIRE_EAST, seats: 3 },
      { body: "Programme Board", gss_code: CWAC, seats: 3 },
      { body: "Scrutiny Panel", gss_code: CHESHIRE_EAST, seats: 2 },
      { body: "Scrutiny Panel", gss_code: CWAC, seats: 1 },
    ]);
    const [officers] = await db.orm.em
      .fork()
      .getConnection()
      .execute<{ extra: Record<string, unknown> }[]>(
        "select extra from governance_body where name = 'Officer Group'",
      );
    expect(officers!.extra).toEqual({
      "Membership (as written)": "equal numbers",
    });
  });

  it('says "from each council" needs councils when the partnership has none', async () => {
    const path = await writeTestWorkbook(dir, {
      file: "seats-no-councils.xlsx",
      sheets: [
        {
          name: "Governance",
          title: [["Partnership:", "Empty Seats Partnership"]],
          header: ["Body", "Membership"],
          rows: [["Joint Board", "2 members from each council"]],
        },
      ],
    });
    const report = await importWorkbook(db.orm, path);
    expect(report.status).toBe("REFUSED");
    expect(report.problems).toMatchObject([
      { code: "missing-value", cell: "B3", row: 3 },
    ]);
  });
});

describe("short forms decided by the workbook", () => {
  it("reads CCC, HDC and SCDC among the councils the title names in full", async () => {
    const path = await writeTestWorkbook(dir, {
      file: "cambridge-short-forms.xlsx",
      sheets: [
        {
          name: "Services",
          title: [
            [
              "Cambridge City, Huntingdonshire and South Cambridgeshire shared services",
            ],
            ["Partnership:", "Cambridge Shared Services"],
          ],
          header: ["Service", "Host authority", "Partner councils"],
          rows: [
            ["Building Control", "CCC", "CCC, HDC & SCDC"],
            ["ICT", "HDC", "CCC / HDC / SCDC"],
            ["Legal", "SCDC", "CCC; SCDC"],
          ],
        },
      ],
    });
    const report = await importWorkbook(db.orm, path);
    expect(report.problems).toEqual([]);
    expect(await members("Cambridge Shared Services")).toEqual([
      "E07000008",
      "E07000011",
      "E07000012",
    ]);
    const hosts = await db.orm.em
      .fork()
      .getConnection()
      .execute<{ name: string; gss_code: string }[]>(
        `select s.name, c.gss_code from service s join council c on c.id = s.host_council_id
         join partnership p on p.id = s.partnership_id where p.name = 'Cambridge Shared Services' order by s.name`,
      );
    expect(hosts).toEqual([
      { name: "Building Control", gss_code: "E07000008" },
      { name: "ICT", gss_code: "E07000011" },
      { name: "Legal", gss_code: "E07000012" },
    ]);
  });
});

describe("councils as of the row's financial year", () => {
  // Each tracker's row is of its period's year: the row's year decides (import-councils-as-of-row.test.ts
  // has both years in one sheet).
  const tracker = (file: string, period: string) => ({
    file,
    sheets: [
      {
        name: "Tracker",
        title: [
          ["Bucks shared services savings"],
          ["Period:", period],
          ["Partnership:", "Bucks Shared Services"],
        ],
        header: ["Council", "Service", "Financial year", "Measure", "Amount"],
        rows: [
          [
            "Buckinghamshire",
            "Waste",
            `${period.slice(-4)}/${Number(period.slice(-2)) + 1}`,
            "Achieved",
            1000,
          ],
        ],
      },
    ],
  });
  const councilOf = async (period: string) => {
    const [row] = await db.orm.em
      .fork()
      .getConnection()
      .execute<{ gss_code: string }[]>(
        `select c.gss_code from savings_figure f join council c on c.id = f.council_id
         where f.reporting_period = ?`,
        [period],
      );
    return row?.gss_code;
  };

  it('reads "Buckinghamshire" in a 2015 tracker as the county council, and in 2021 as the unitary', async () => {
    const old = await importWorkbook(
      db.orm,
      await writeTestWorkbook(dir, tracker("bucks-2015.xlsx", "June 2015")),
    );
    expect(old.problems).toEqual([]);
    expect(await councilOf("2015-06")).toBe("E10000002");
    const now = await importWorkbook(
      db.orm,
      await writeTestWorkbook(dir, tracker("bucks-2021.xlsx", "June 2021")),
    );
    expect(now.problems).toEqual([]);
    expect(await councilOf("2021-06")).toBe("E06000060");
  });
});

describe("one pass reports everything", () => {
  it("reports a tracker's missing period and its unknown council together", async () => {
    const path = await writeTestWorkbook(
      dir,
      longTracker("no-period-tracker.xlsx", null, [
        ["Gotham City Council", "Workstream 1", "2007/08", "Achieved", 1000],
        ["Bolsover", "Workstream 2", "2007/08", "Achieved", 2000],
      ]),
    );
    const report = await importWorkbook(db.orm, path);
    expect(report.status).toBe("REFUSED");
    expect(
      report.problems.map((p) => [p.code, p.cell ?? null, p.value ?? null]),
    ).toEqual([
      ["bad-period", null, null],
      ["unknown-council", "A5", "Gotham City Council"],
    ]);
  });
});

describe("the partnership from the workbook itself", () => {
  const partnerships = async () =>
    (
      await db.orm.em
        .fork()
        .getConnection()
        .execute<{ name: string }[]>("select name from partnership order by id")
    ).map((r) => r.name);

  it("creates a tracker's partnership from its title, says so, and finds it by that name next time", async () => {
    const tracker = await writeTestWorkbook(dir, {
      file: "rce-tracker.xlsx",
      sheets: [
        {
          name: "Tracker",
          title: [
            ["RCE FUNDED SHARED SERVICES PROJECT – savings"],
            ["Period:", "June 2010"],
            [
              "Partners:",
              "Chesterfield Borough Council, Bolsover District Council, North East Derbyshire District Council",
            ],
          ],
          header: [
            "Council",
            "Workstream",
            "Financial year",
            "Measure",
            "Amount",
          ],
          rows: [
            ["CBC", "RCE Payroll", "2010/11", "Achieved", 1000],
            ["BDC", "RCE Payroll", "2010/11", "Achieved", 2000],
          ],
        },
      ],
    });
    const report = await importWorkbook(db.orm, tracker);
    expect(report.status).toBe("IMPORTED");
    expect(report.problems).toMatchObject([
      {
        code: "partnership-from-workbook",
        severity: "warning",
        cell: "A1",
        value: "RCE FUNDED SHARED SERVICES PROJECT",
      },
    ]);
    expect(report.created).toContainEqual(
      expect.objectContaining({
        type: "partnership",
        name: "RCE FUNDED SHARED SERVICES PROJECT",
      }),
    );
    expect(await members("RCE FUNDED SHARED SERVICES PROJECT")).toEqual([
      "E07000033",
      "E07000034",
      "E07000038",
    ]);
    const before = await partnerships();
    const list = await writeTestWorkbook(dir, {
      file: "rce-services.xlsx",
      sheets: [
        {
          name: "Workstreams",
          title: [["RCE Funded Shared Services Project: workstreams"]],
          header: ["Workstream", "Status"],
          rows: [["RCE Payroll", "Live"]],
        },
      ],
    });
    const second = await importWorkbook(db.orm, list);
    expect(second.problems).toEqual([]);
    expect(await partnerships()).toEqual(before);
  });

  it("finds the partnership whose members are exactly the councils the title names", async () => {
    const first = await writeTestWorkbook(dir, {
      file: "worcestershire.xlsx",
      sheets: [
        {
          name: "Services",
          title: [
            ["Partnership:", "Worcestershire Shared"],
            ["Partners:", "Bromsgrove; Redditch"],
          ],
          header: ["Service", "Status"],
          rows: [["Management team", "Live"]],
        },
      ],
    });
    expect((await importWorkbook(db.orm, first)).problems).toEqual([]);
    const before = await partnerships();
    const second = await writeTestWorkbook(dir, {
      file: "bromsgrove-redditch.xlsx",
      sheets: [
        {
          name: "Services",
          title: [["Bromsgrove and Redditch shared services"]],
          header: ["Service", "Status"],
          rows: [["Payroll", "Proposed"]],
        },
      ],
    });
    const report = await importWorkbook(db.orm, second);
    expect(report.problems).toEqual([]);
    expect(await partnerships()).toEqual(before);
    expect(report.created).toMatchObject([
      {
        type: "service",
        name: "Payroll",
        partnership: "Worcestershire Shared",
      },
    ]);
  });
});

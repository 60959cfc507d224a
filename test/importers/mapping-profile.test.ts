import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importWorkbook } from "../../importers/import-workbook.js";
import { loadMappingProfile } from "../../importers/mapping-profile.js";
import { Service } from "../../schema/service.js";
import { useTestDatabase } from "../support/test-database.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

const db = useTestDatabase();
const dir = workbookDir();

describe("a mapping profile for one council's layout", () => {
  it("adds synonyms and pins columns, and unknown columns are kept on the record", async () => {
    const path = await writeTestWorkbook(dir, {
      file: "own-layout.xlsx",
      sheets: [
        {
          name: "Ours",
          title: [["Partnership:", "Adur and Worthing"]],
          header: ["Savings proposal", "Stage", "Who hosts", "Officer"],
          rows: [["Payroll", "Live", "Adur", "J Smith"]],
        },
      ],
    });
    const without = await importWorkbook(db.orm, path, { dryRun: true });
    expect(without.sheets[0]!.status).toBe("unknown");
    const profilePath = join(dir, "adur.json");
    writeFileSync(
      profilePath,
      JSON.stringify({
        synonyms: { service: ["Savings proposal"] },
        columns: { C: "host" },
      }),
    );
    const report = await importWorkbook(db.orm, path, {
      profile: await loadMappingProfile(profilePath),
    });
    expect(report.status).toBe("IMPORTED");
    expect(report.problems).toMatchObject([
      { code: "unknown-column", header: "Officer", cell: "D2" },
    ]);
    const payroll = await db.orm.em
      .fork()
      .findOneOrFail(
        Service,
        { name: "Payroll" },
        { populate: ["hostCouncil"] },
      );
    expect(payroll.hostCouncil?.shortName).toBe("Adur");
    expect(payroll.status).toBe("LIVE");
    expect(payroll.extra).toEqual({ Officer: "J Smith" });
    expect([payroll.sourceSheet, payroll.sourceCell]).toEqual(["Ours", "A3"]);
  });

  it("reads a sheet as the kind --kind names when its headers alone do not say", async () => {
    const path = await writeTestWorkbook(dir, {
      file: "bodies.xlsx",
      sheets: [
        {
          name: "Bodies",
          title: [["Partnership:", "Adur and Worthing"]],
          header: ["Body", "Notes"],
          rows: [["Joint Strategic Committee", "Meets monthly"]],
        },
      ],
    });
    expect(
      (await importWorkbook(db.orm, path, { dryRun: true })).sheets[0]!.status,
    ).toBe("unknown");
    const report = await importWorkbook(db.orm, path, { kind: "governance" });
    expect(report.sheets[0]).toMatchObject({ kind: "governance", created: 1 });
    expect(report.created).toMatchObject([
      { type: "governance body", name: "Joint Strategic Committee" },
    ]);
  });

  it("refuses a profile that is not valid, saying what is wrong", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ columns: { C: "hots" } }));
    await expect(loadMappingProfile(bad)).rejects.toThrow(
      /columns."C" must be a column role/,
    );
    writeFileSync(bad, "{ not json");
    await expect(loadMappingProfile(bad)).rejects.toThrow(/not valid JSON/);
  });

  it("warns when a new name is close to an existing one, so a typo never silently makes a duplicate", async () => {
    const path = await writeTestWorkbook(dir, {
      file: "typo.xlsx",
      sheets: [
        {
          name: "List",
          title: [["Partnership:", "Adur and Worthing"]],
          header: ["Service", "Status"],
          rows: [
            ["Shared back-office", "Live"],
            ["Shared Back Ofice", "Live"],
            ["Payroll", "Live"],
          ],
        },
      ],
    });
    const report = await importWorkbook(db.orm, path);
    expect(report.status).toBe("IMPORTED");
    expect(
      report.created.filter((c) => c.type === "service").map((c) => c.name),
    ).toEqual(["Shared back-office", "Shared Back Ofice"]);
    expect(report.problems).toMatchObject([
      {
        code: "similar-name",
        severity: "warning",
        cell: "A4",
        value: "Shared Back Ofice",
        message: expect.stringMatching(
          /close to the existing "Shared back-office"/,
        ),
      },
    ]);
    // Case and punctuation never make a second record: "Shared Back Office" is "Shared back-office".
    const again = await writeTestWorkbook(dir, {
      file: "case.xlsx",
      sheets: [
        {
          name: "List",
          title: [["Partnership:", "adur & worthing"]],
          header: ["Service", "Status"],
          rows: [["Shared Back Office", "Live"]],
        },
      ],
    });
    expect((await importWorkbook(db.orm, again)).created).toEqual([]);
  });
});

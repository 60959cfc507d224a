import ExcelJS from "exceljs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEADER_ROW } from "../../reconcile/reconciliation-workbook.js";
import {
  BOLSOVER,
  CHESTERFIELD,
  NE_DERBYSHIRE,
  seedSavings,
} from "../reconcile/savings-seed.js";
import { useTestDatabase } from "../support/test-database.js";
import { runSshub } from "../support/sshub-process.js";

// These run the built CLI (`bin/sshub.js` → `dist/`), which `npm test` rebuilds first (pretest).

const db = useTestDatabase();
let dir: string;
let id: number;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sshub-reconcile-"));
  const { partnership } = await seedSavings(db.orm.em, {
    name: "CLI Partnership",
    members: [
      { gss: CHESTERFIELD, percent: "50" },
      { gss: BOLSOVER, percent: "30" },
      { gss: NE_DERBYSHIRE, percent: "20" },
    ],
    figures: [
      { service: "Revenues", amount: "1000000.01" },
      { service: "Revenues", gss: CHESTERFIELD, amount: "500000.01" },
      { service: "Revenues", gss: BOLSOVER, amount: "400000.00" },
      { service: "Revenues", amount: "10.00", cashable: false },
      { service: "Legal", amount: "5.00", period: "2010-06", year: 2010 },
    ],
  });
  id = partnership.id;
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

const sshub = (args: string[]) => runSshub(["reconcile", ...args], db.url);

describe("sshub reconcile", () => {
  it("prints a table of every line with its share, claim, variance and status, then the totals", () => {
    const result = sshub([
      "--partnership",
      "cli partnership",
      "--year",
      "2009/10",
    ]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const out = result.stdout;
    expect(out).toContain(
      "CLI Partnership: 2009/10, achieved, latest figures (to 2010-03); tolerance £0.00",
    );
    expect(out).toMatch(
      /Revenues\s+cashable\s+Bolsover\s+E07000033\s+30\.0000\s+1,000,000\.01\s+300,000\.00\s+400,000\.00\s+100,000\.00\s+OVER_CLAIMED/,
    );
    expect(out).toMatch(
      /Revenues\s+cashable\s+Chesterfield\s+E07000034\s+50\.0000\s+1,000,000\.01\s+500,000\.01\s+500,000\.01\s+0\.00\s+MATCHED/,
    );
    expect(out).toMatch(
      /North East Derbyshire\s+E07000038\s+20\.0000\s+1,000,000\.01\s+200,000\.00\s+—\s+—\s+MISSING_CLAIM/,
    );
    expect(out).toContain(
      "Cashable: partnership total £1,000,000.01, claims £900,000.01, difference £-100,000.00",
    );
    expect(out).toMatch(
      /Non-cashable: partnership total £10\.00, claims £0\.00/,
    );
  });

  it("prints JSON with exact decimal amounts", () => {
    const result = sshub([
      "--partnership",
      String(id),
      "--year",
      "2009-10",
      "--json",
      "--tolerance",
      "100000",
    ]);
    expect(result.status).toBe(0);
    const [r] = JSON.parse(result.stdout) as {
      partnership: { name: string };
      tolerance: string;
      lines: {
        council: { gssCode: string };
        cashable: boolean;
        expected: string;
        claimed: string | null;
        status: string;
      }[];
    }[];
    expect(r!.partnership.name).toBe("CLI Partnership");
    expect(r!.tolerance).toBe("100000.00");
    expect(
      r!.lines
        .filter((l) => l.cashable)
        .map((l) => [l.council.gssCode, l.expected, l.claimed, l.status]),
    ).toEqual([
      [BOLSOVER, "300000.00", "400000.00", "MATCHED"],
      [CHESTERFIELD, "500000.01", "500000.01", "MATCHED"],
      [NE_DERBYSHIRE, "200000.00", null, "MISSING_CLAIM"],
    ]);
  });

  it("writes the workbook with --xlsx, and records the export in the audit log", async () => {
    const file = join(dir, "out.xlsx");
    const result = sshub([
      "--partnership",
      "CLI Partnership",
      "--year",
      "2009/10",
      "--xlsx",
      file,
    ]);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`wrote ${file}`);
    expect(result.stdout).toBe("");
    const [audit] = await db.orm.em
      .getConnection()
      .execute<{ details: { via: string; financialYear: string } }[]>(
        "select details from audit_event where action = 'EXPORT' order by id desc limit 1",
      );
    expect(audit?.details).toMatchObject({
      via: "cli",
      financialYear: "2009/10",
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      "Summary",
      "CLI Partnership",
    ]);
    expect(
      workbook
        .getWorksheet("CLI Partnership")!
        .getRow(HEADER_ROW + 1)
        .getCell(10).value,
    ).toBe(400000);
  });

  it("refuses bad options and unknown partnerships with one clear line", () => {
    const badYear = sshub([
      "--partnership",
      "CLI Partnership",
      "--year",
      "2009",
    ]);
    expect(badYear.status).toBe(1);
    expect(badYear.stderr.trim()).toBe(
      'sshub: --year must be a financial year written like "2009/10" (consecutive years); got "2009". [BAD_USER_INPUT]',
    );
    // The same parser as GraphQL and HTTP: an empty month is refused, not read as "the latest".
    const emptyAsOf = sshub([
      "--partnership",
      "CLI Partnership",
      "--year",
      "2009/10",
      "--as-of",
      "",
    ]);
    expect(emptyAsOf.status).toBe(1);
    expect(emptyAsOf.stderr.trim()).toBe(
      'sshub: --as-of must be a month written YYYY-MM, e.g. "2010-03"; got "". [BAD_USER_INPUT]',
    );
    const unknown = sshub(["--partnership", "Nowhere", "--year", "2009/10"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim().split("\n").at(-1)).toBe(
      'sshub: No partnership has the name or id "Nowhere". [NOT_FOUND]',
    );
    const missing = sshub(["--year", "2009/10"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("--partnership");
  });
});

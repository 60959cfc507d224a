import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importWorkbook } from "../../importers/import-workbook.js";
import { ImportRun } from "../../schema/import-run.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { useTestDatabase } from "../support/test-database.js";
import { workbookDir } from "../importers/support/write-test-workbook.js";
import { runSshubInBackground } from "../support/sshub-process.js";
import { hostileInput } from "./support/hostile-inputs.js";

// A seeded sample on every run (FUZZ_CASES inputs from FUZZ_SEED); `npm run fuzz` runs thousands.
const CASES = Number(process.env["FUZZ_CASES"] ?? 80);
const FIRST_SEED = Number(process.env["FUZZ_SEED"] ?? 1);
const CASE_LIMIT_MS = 60_000;
// The resident memory an import of one hostile input may reach in this process (the test runner,
// its database connections and the import together; a workbook's reader has a heap bound of its own).
const MEMORY_LIMIT_BYTES =
  Number(process.env["FUZZ_MEMORY_MB"] ?? 1024) * 2 ** 20;
// Inputs also run through `sshub import` itself, for its exit status and what it prints.
const CLI_CASES = Number(process.env["FUZZ_CLI_CASES"] ?? 8);

/** What an analyst must never see in a problem: a stack trace, or an internal or database error. */
const INTERNAL =
  /\n\s+at |\b(?:TypeError|RangeError|ReferenceError|SyntaxError)\b|Error: |violates|numeric field overflow|index row|out of range|Invalid time value|outside buffer bounds|Cannot read propert|is not a function|of undefined|is undefined|\bnull\b|\[object Object\]/;

const db = useTestDatabase();
const dir = workbookDir();

/** Rows in the tables an import writes to. */
async function stored(): Promise<Record<string, number>> {
  const connection = db.orm.em.getConnection();
  const rows = (await connection.execute(
    `select (select count(*) from savings_figure) as figures, (select count(*) from service) as services,
       (select count(*) from partnership) as partnerships, (select count(*) from governance_body) as bodies,
       (select count(*) from funding_award) as awards, (select coalesce(sum(amount), 0)::text from savings_figure) as total`,
  )) as Record<string, unknown>[];
  return Object.fromEntries(
    Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]),
  );
}

describe("hostile inputs: imported or refused, never an internal error, a stall or a wrong figure", () => {
  it(
    `imports ${CASES} seeded hostile inputs from seed ${FIRST_SEED}`,
    async () => {
      const failures: string[] = [];
      const outcomes = new Map<string, number>();
      let highest = 0;
      for (let seed = FIRST_SEED; seed < FIRST_SEED + CASES; seed++) {
        const input = await hostileInput(seed);
        const path = join(dir, input.file);
        writeFileSync(path, input.bytes);
        const before = await stored();
        const started = Date.now();
        const fail = (why: string) => {
          const kept = join(dir, "failures");
          mkdirSync(kept, { recursive: true });
          writeFileSync(join(kept, input.file), input.bytes);
          failures.push(
            `seed ${seed} (${input.description}): ${why} [kept as ${join(kept, input.file)}]`,
          );
        };
        let report;
        // Sampled while the import runs (a reader on this thread holds the loop, so the reading after
        // it counts too: resident memory seldom falls back at once).
        let peak = process.memoryUsage.rss();
        const sampler = setInterval(
          () => void (peak = Math.max(peak, process.memoryUsage.rss())),
          25,
        );
        try {
          report = await importWorkbook(db.orm, path);
        } catch (error) {
          fail(`threw ${(error as Error).stack ?? String(error)}`);
          continue;
        } finally {
          clearInterval(sampler);
          peak = Math.max(peak, process.memoryUsage.rss());
          highest = Math.max(highest, peak);
        }
        if (peak > MEMORY_LIMIT_BYTES)
          fail(`reached ${Math.round(peak / 2 ** 20)} MB resident`);
        const elapsed = Date.now() - started;
        outcomes.set(report.status, (outcomes.get(report.status) ?? 0) + 1);
        if (elapsed > CASE_LIMIT_MS) fail(`took ${elapsed} ms`);
        if (
          !["IMPORTED", "IMPORTED_WITH_SKIPPED_ROWS", "REFUSED"].includes(
            report.status,
          )
        )
          fail(`ended ${report.status}`);
        for (const problem of report.problems)
          if (INTERNAL.test(problem.message))
            fail(`internal error shown: ${problem.message.slice(0, 300)}`);
        const em = db.orm.em.fork();
        const run = await em.findOneOrFail(ImportRun, report.importRunId);
        if (run.status !== report.status)
          fail(`its run is ${run.status}, the report ${report.status}`);
        if (report.status === "REFUSED") {
          const after = await stored();
          if (JSON.stringify(after) !== JSON.stringify(before))
            fail(
              `refused, yet stored ${JSON.stringify(before)} -> ${JSON.stringify(after)}`,
            );
          continue;
        }
        if (input.amounts === null) continue;
        for (const figure of await em.find(SavingsFigure, {
          importRun: report.importRunId,
        })) {
          const means = input.amounts!.get(figure.sourceCell ?? "");
          if (means !== figure.amount)
            fail(
              `stored ${figure.amount} from ${figure.sourceCell}, whose text means ${means === undefined ? "no amount cell" : (means ?? "no figure")}`,
            );
        }
      }
      console.log(
        `fuzz: ${CASES} inputs from seed ${FIRST_SEED}: ${[...outcomes].map(([s, n]) => `${s} ${n}`).join(", ")}; at most ${Math.round(highest / 2 ** 20)} MB resident`,
      );
      expect(failures).toEqual([]);
    },
    Math.max(300_000, CASES * 5_000),
  );

  it(
    `exits 0 or 1 from sshub import, with no stack trace, for ${CLI_CASES} of them`,
    async () => {
      const failures: string[] = [];
      for (let seed = FIRST_SEED; seed < FIRST_SEED + CLI_CASES; seed++) {
        const input = await hostileInput(seed);
        const path = join(dir, `cli-${input.file}`);
        writeFileSync(path, input.bytes);
        const { status, stdout, stderr } = await runSshubInBackground(
          ["import", path],
          db.url,
          {},
          CASE_LIMIT_MS,
        );
        const output = stdout + stderr;
        if (status !== 0 && status !== 1)
          failures.push(
            `seed ${seed} (${input.description}): exit ${status}: ${output.slice(0, 500)}`,
          );
        else if (
          /\n\s+at |\b(?:TypeError|RangeError|ReferenceError)\b/.test(output)
        )
          failures.push(
            `seed ${seed} (${input.description}): printed ${output.slice(0, 500)}`,
          );
      }
      expect(failures).toEqual([]);
    },
    Math.max(300_000, CLI_CASES * 30_000),
  );
});

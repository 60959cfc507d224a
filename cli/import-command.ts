import { AuditAction } from "../schema/audit-event.js";
import { parseReportingPeriodArgument } from "../schema/reporting-period.js";
import { importAuditDetails } from "../server/auth/import-audit-details.js";
import { recordAudit } from "../server/auth/record-audit.js";
import { operatorCaller } from "../server/caller.js";
import { Command, Option } from "commander";
import { readFile, stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { DEFAULT_IMPORT_LIMITS } from "../importers/import-limits.js";
import { ImportQueue } from "../jobs/import-queue.js";
import type { QueuedImportOptions } from "../schema/import-job.js";
import { BadInputError } from "../errors/hub-error.js";
import { SHEET_KINDS, type SheetKind } from "../importers/header-synonyms.js";
import {
  importWorkbook,
  type ImportReport,
} from "../importers/import-workbook.js";
import { withLayoutAnswers } from "../importers/layout-answers.js";
import {
  loadMappingProfile,
  type MappingProfile,
} from "../importers/mapping-profile.js";
import {
  MEASURE_OPTION_WORDS,
  parseMeasureOption,
} from "../importers/read-measure.js";
import {
  rememberedAnswersLine,
  savedProfileLine,
} from "../importers/remembered-answers.js";
import { withHubSession } from "./hub-session.js";
import { ExitCode, logLine, runCommand } from "./run-command.js";

interface ImportCommandOptions {
  dryRun?: boolean;
  period?: string;
  kind?: SheetKind;
  mapping?: string;
  partnership?: string;
  measure?: string;
  headerRow?: string[];
  column?: string[];
  remember: boolean;
  skipInvalidRows?: boolean;
  json?: boolean;
  problemsXlsx?: string;
  queue?: boolean;
}

/** Commander's parser for an option given more than once: every value, in order. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function pad(text: string | number, width: number, right = false): string {
  const s = String(text);
  return right ? s.padStart(width) : s.padEnd(width);
}

/** The summary table and problem list of one report, as printed on a terminal. */
export function formatImportReport(report: ImportReport): string {
  const lines: string[] = [];
  const period = report.reportingPeriod
    ? `, period ${report.reportingPeriod}${report.reportingPeriodSource ? ` (from ${report.reportingPeriodSource})` : ""}`
    : "";
  const same = report.sameFileAs
    ? ` (same file as import run #${report.sameFileAs})`
    : "";
  lines.push(
    `${report.file}: ${report.status} — import run #${report.importRunId}${period}${same}`,
  );
  if (report.sheets.length) {
    const width = Math.max(5, ...report.sheets.map((s) => s.sheet.length));
    lines.push(
      `  ${pad("sheet", width)}  ${pad("kind", 12)} ${pad("rows", 8, true)} ${pad("created", 8, true)} ${pad("updated", 8, true)} ${pad("unchanged", 10, true)} ${pad("removed", 8, true)} ${pad("problems", 9, true)}`,
    );
    for (const s of report.sheets)
      lines.push(
        `  ${pad(s.sheet, width)}  ${pad(s.kind ?? `(${s.status})`, 12)} ${pad(s.rowsRead, 8, true)} ${pad(s.created, 8, true)} ${pad(s.updated, 8, true)} ${pad(s.unchanged, 10, true)} ${pad(s.removed, 8, true)} ${pad(s.problems, 9, true)}`,
      );
  }
  if (report.rememberedAnswers)
    lines.push(`  ${rememberedAnswersLine(report.rememberedAnswers)}`);
  for (const c of report.created.filter((c) => c.type !== "membership"))
    lines.push(
      `  created ${c.type} "${c.name}"${c.partnership ? ` in ${c.partnership}` : ""} (${c.sheet}!${c.cell})`,
    );
  if (report.problems.length) {
    lines.push(
      `  problems: ${report.errorCount} error(s), ${report.warningCount} warning(s)`,
    );
    for (const p of report.problems.slice(0, 200)) {
      const where = [
        p.sheet ? `${p.sheet}${p.cell ? `!${p.cell}` : ""}` : null,
        p.header ? `[${p.header}]` : null,
      ]
        .filter(Boolean)
        .join(" ");
      lines.push(
        `  ${pad(p.severity, 7)} ${pad(p.code, 19)} ${where ? `${where}: ` : ""}${p.message}`,
      );
    }
    const more = report.problems.length - 200 + report.omittedProblems;
    if (more > 0)
      lines.push(
        `  … and ${more} more (use --json or --problems-xlsx for all)`,
      );
  }
  if (report.status === "REFUSED")
    lines.push(
      "  Nothing was written. Fix the problems above and import the file again.",
    );
  if (report.status === "DRY_RUN")
    lines.push("  Dry run: nothing was written.");
  if (report.savedProfile && report.answers)
    lines.push(`  ${savedProfileLine(report.savedProfile, report.answers)}`);
  return lines.join("\n");
}

function progressBar(file: string): ((p: {
  bytesRead: number;
  totalBytes: number;
  rows: number;
}) => void) & {
  done(): void;
} {
  const tty = process.stderr.isTTY;
  let last = 0;
  const update = (p: {
    bytesRead: number;
    totalBytes: number;
    rows: number;
  }) => {
    if (!tty) return;
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    const fraction = p.totalBytes ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    process.stderr.write(
      `\r${basename(file)} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${Math.round(fraction * 100)}% ${p.rows.toLocaleString("en-GB")} rows`,
    );
  };
  return Object.assign(update, {
    done() {
      if (tty && last) process.stderr.write("\r\x1b[K");
    },
  });
}

function problemsPath(out: string, file: string, many: boolean): string {
  if (!many) return out;
  const ext = extname(out) || ".xlsx";
  return `${out.slice(0, out.length - extname(out).length)}-${basename(file, extname(file))}${ext}`;
}

/** `sshub import FILE...`: reads councils' workbooks into the hub, one transaction per file. */
export function importCommand(): Command {
  return new Command("import")
    .description(
      "Import councils' workbooks (service lists, savings trackers, governance and funding lists). " +
        "Each file is one transaction: any problem and nothing is written. Exit 0 imported, 1 refused, 2 usage.",
    )
    .argument(
      "<files...>",
      "workbooks to import: .xlsx, .xls (Excel 97-2003), .ods or .csv (the content decides, not the name)",
    )
    .option(
      "--dry-run",
      "report what would be created, changed or left unchanged; write nothing",
    )
    .option(
      "--period <YYYY-MM>",
      "the reporting month of the figures (else read from the workbook, e.g. 'Period: June 2010')",
    )
    .addOption(
      new Option(
        "--kind <kind>",
        "read every sheet as this kind instead of recognising it",
      ).choices([...SHEET_KINDS]),
    )
    .option(
      "--mapping <file.json>",
      "a mapping profile: extra header synonyms or pinned columns for one council's layout",
    )
    .option("--partnership <name>", "the partnership for sheets that name none")
    .addOption(
      new Option(
        "--measure <measure>",
        "the measure of figures the workbook names none for (a measure column, header or title wins)",
      ).choices(MEASURE_OPTION_WORDS.split("|")),
    )
    .option(
      "--header-row <row>",
      "the header row, when the importer does not find it: 4 for every sheet, or 'Tracker!4' for one sheet (give it once a sheet); remembered for the layout",
      collect,
    )
    .option(
      "--column <heading=role>",
      "a column's role: 'Officer=ignore', 'Saving 2010/11=amount' or 'C=host' (a column letter); give it once a column; remembered for the layout",
      collect,
    )
    .option(
      "--no-remember",
      "neither use the answers remembered for this workbook's layout nor remember the ones given",
    )
    .option(
      "--skip-invalid-rows",
      "write the valid rows and record the invalid ones, instead of refusing the file",
    )
    .option("--json", "print the full report as one JSON document")
    .option(
      "--problems-xlsx <out.xlsx>",
      "write a copy of the workbook with problem cells highlighted and commented",
    )
    .option(
      "--queue",
      "hand the files to the import queue (workers of sshub start or sshub worker import them) and print one job id per file, instead of importing here",
    )
    .action((files: string[], options: ImportCommandOptions) =>
      runCommand(async () => {
        try {
          parseReportingPeriodArgument(options.period, "--period");
        } catch (error) {
          if (!(error instanceof BadInputError)) throw error;
          logLine(`sshub: ${error.message}`);
          return ExitCode.Usage;
        }
        if (options.queue) return queueFiles(files, options);
        let profile: MappingProfile | undefined;
        try {
          if (options.mapping)
            profile = await loadMappingProfile(options.mapping);
          profile = withLayoutAnswers(
            profile,
            {
              ...(options.headerRow ? { headerRows: options.headerRow } : {}),
              ...(options.column ? { columns: options.column } : {}),
            },
            { headerRow: "--header-row", column: "--column" },
          );
        } catch (error) {
          if (error instanceof BadInputError) {
            logLine(`sshub: ${error.message}`);
            return ExitCode.Usage;
          }
          throw error;
        }
        const reports: ImportReport[] = [];
        await withHubSession({ log: logLine }, async (session) => {
          for (const file of files) {
            const bar = options.json ? undefined : progressBar(file);
            const report = await importWorkbook(session.orm, file, {
              ...(options.dryRun ? { dryRun: true } : {}),
              ...(options.period ? { period: options.period } : {}),
              ...(options.kind ? { kind: options.kind } : {}),
              ...(profile ? { profile } : {}),
              ...(options.partnership
                ? { partnership: options.partnership }
                : {}),
              ...(options.measure
                ? { measure: parseMeasureOption(options.measure)! }
                : {}),
              rememberAnswers: options.remember,
              ...(options.skipInvalidRows ? { skipInvalidRows: true } : {}),
              ...(bar ? { onProgress: bar } : {}),
              audit: (em, done) =>
                void recordAudit(
                  em,
                  operatorCaller(),
                  AuditAction.IMPORT,
                  importAuditDetails(done, "cli"),
                ),
            });
            bar?.done();
            reports.push(report);
            if (options.problemsXlsx && report.problems.length) {
              const out = problemsPath(
                options.problemsXlsx,
                file,
                files.length > 1,
              );
              // Loaded only when asked for: exceljs is big, and the import itself reads in a worker.
              const { writeProblemsWorkbook } =
                await import("../importers/write-problems-workbook.js");
              await writeProblemsWorkbook(file, report.problems, out);
              if (!options.json) logLine(`sshub: problems written to ${out}`);
            }
            if (!options.json)
              process.stdout.write(`${formatImportReport(report)}\n`);
          }
        });
        if (options.json)
          process.stdout.write(
            `${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`,
          );
        return reports.some((r) => r.status === "REFUSED")
          ? ExitCode.Failed
          : ExitCode.Ok;
      }),
    );
}

/** Options a queued job cannot take: they need this process (a mapping file, the report here). */
const NOT_QUEUEABLE = [
  "kind",
  "mapping",
  "headerRow",
  "column",
  "json",
  "problemsXlsx",
] as const;

/**
 * `sshub import --queue FILE...`: stores each file in the import queue as the operator (the same
 * job POST /imports makes) and prints `<job id> <file>` per file; a worker imports them.
 */
async function queueFiles(
  files: string[],
  options: ImportCommandOptions,
): Promise<number> {
  const refused = NOT_QUEUEABLE.filter((name) => options[name] !== undefined);
  if (refused.length) {
    logLine(
      `sshub: --queue cannot be used with ${refused.map((name) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(", ")}: a worker imports the file; follow the job with GET /imports/jobs/ID or importJob(id:).`,
    );
    return ExitCode.Usage;
  }
  const queued: QueuedImportOptions = {
    ...(options.period ? { period: options.period.trim() } : {}),
    ...(options.partnership ? { partnership: options.partnership } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(options.skipInvalidRows ? { skipInvalidRows: true } : {}),
  };
  const bytes: Buffer[] = [];
  for (const file of files) {
    const size = (await stat(file).catch(() => null))?.size;
    if (size === undefined) {
      logLine(`sshub: ${file}: no such file.`);
      return ExitCode.Usage;
    }
    if (size > DEFAULT_IMPORT_LIMITS.maxFileBytes) {
      logLine(
        `sshub: ${file}: larger than ${DEFAULT_IMPORT_LIMITS.maxFileBytes} bytes; the hub refuses bigger workbooks.`,
      );
      return ExitCode.Failed;
    }
    bytes.push(await readFile(file));
  }
  await withHubSession({ log: logLine }, async (session) => {
    const queue = await ImportQueue.open(session.orm, { log: logLine });
    try {
      for (const [i, file] of files.entries()) {
        const job = await queue.enqueue({
          bytes: bytes[i]!,
          fileName: basename(file),
          options: queued,
          caller: operatorCaller(),
        });
        process.stdout.write(`${job.id} ${file}\n`);
      }
    } finally {
      await queue.stop();
    }
  });
  return ExitCode.Ok;
}

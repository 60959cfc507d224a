import { Command } from "commander";
import { writeFile } from "node:fs/promises";
import { findPartnership } from "../reconcile/find-partnership.js";
import { loadReconciliations } from "../reconcile/load-reconciliations.js";
import { parseReconciliationQuery } from "../reconcile/reconciliation-options.js";
import { reconciliationToJson } from "../reconcile/reconciliation-json.js";
import { formatReconciliationTable } from "../reconcile/reconciliation-table.js";
import { reconciliationWorkbookBytes } from "../reconcile/reconciliation-workbook.js";
import { exportAuditDetails } from "../reconcile/export-audit-details.js";
import { AuditAction } from "../schema/audit-event.js";
import { recordAudit } from "../server/auth/record-audit.js";
import { operatorCaller } from "../server/caller.js";
import { withHubSession } from "./hub-session.js";
import { logLine, runCommand } from "./run-command.js";

/** The options of `sshub reconcile`, as commander hands them over. */
interface ReconcileOptions {
  partnership: string[];
  year: string;
  measure: string;
  asOf?: string;
  tolerance?: string;
  json?: boolean;
  xlsx?: string;
}

/**
 * `sshub reconcile`: a partnership's savings reconciled for a year — a table on the terminal, JSON
 * (`--json`), or the finance officers' workbook (`--xlsx`), all from the same engine as the API.
 */
export function reconcileCommand(): Command {
  return new Command("reconcile")
    .description(
      "Reconcile a partnership's savings for a financial year: each member's share of each service's total " +
        "beside its claim, with over- and under-claims, missing claims, non-member claims and double counting.",
    )
    .requiredOption(
      "--partnership <name|id>",
      "the partnership: its name, database id or global id (repeat for several; one sheet each in --xlsx)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .requiredOption("--year <year>", "the financial year, e.g. 2009/10")
    .option(
      "--measure <measure>",
      "target, estimate, forecast or achieved",
      "achieved",
    )
    .option(
      "--as-of <YYYY-MM>",
      "use figures reported up to this month (default: the latest)",
    )
    .option(
      "--tolerance <pounds>",
      "claims within this many pounds of the share count as matched",
      "0.00",
    )
    .option("--json", "print JSON instead of a table")
    .option("--xlsx <file>", "write the workbook to this file")
    .addHelpText(
      "after",
      "\nShares are rounded by largest remainder on pence (ties to the lower GSS code), so they add up to each total exactly.",
    )
    .action((options: ReconcileOptions) =>
      runCommand(async () => {
        // Checked before the database opens, so a typo costs nothing.
        const query = parseReconciliationQuery(options, {
          year: "--year",
          asOf: "--as-of",
        });
        await withHubSession({ log: logLine }, async (session) => {
          const em = session.orm.em.fork();
          const partnerships = [];
          for (const reference of options.partnership)
            partnerships.push(await findPartnership(em, reference));
          const reconciliations = await loadReconciliations(
            em,
            partnerships,
            query,
          );
          if (options.xlsx) {
            await writeFile(
              options.xlsx,
              await reconciliationWorkbookBytes(reconciliations),
            );
            recordAudit(
              em,
              operatorCaller(),
              AuditAction.EXPORT,
              exportAuditDetails(reconciliations, "cli"),
            );
            await em.flush();
            logLine(`sshub: wrote ${options.xlsx}`);
          }
          if (options.json) {
            process.stdout.write(
              `${JSON.stringify(reconciliations.map(reconciliationToJson), null, 2)}\n`,
            );
          } else if (!options.xlsx) {
            process.stdout.write(
              reconciliations.map(formatReconciliationTable).join("\n"),
            );
          }
        });
      }),
    );
}

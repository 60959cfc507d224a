import { fromPence } from "../schema/money.js";
import { ShareBasis } from "./share-basis.js";
import type { PartnershipReconciliation } from "./reconciliation.js";
import { describeQuery } from "./reconciliation-options.js";

/** Control characters from imported text would move the cursor or recolour the terminal. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}

/** "1,234,567.89" — pounds with thousands separators, exact from pence. */
export function formatPounds(pence: bigint | null): string {
  if (pence === null) return "—";
  const [whole, fraction] = fromPence(pence).split(".");
  const negative = whole!.startsWith("-");
  const digits = negative ? whole!.slice(1) : whole!;
  return `${negative ? "-" : ""}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${fraction}`;
}

function table(rows: string[][], rightAligned: Set<number>): string[] {
  const widths = rows[0]!.map((_, column) =>
    Math.max(...rows.map((row) => [...row[column]!].length)),
  );
  return rows.map((row) =>
    row
      .map((cell, column) =>
        rightAligned.has(column)
          ? cell.padStart(widths[column]!)
          : cell.padEnd(widths[column]!),
      )
      .join("  ")
      .trimEnd(),
  );
}

/** A reconciliation as a plain-text table for the terminal, with its totals and warnings below. */
export function formatReconciliationTable(
  r: PartnershipReconciliation,
): string {
  const out: string[] = [
    `${plain(r.partnership.name)}: ${describeQuery(r, r.latestPeriod)}; tolerance £${fromPence(r.tolerancePence)}`,
    r.importRuns.length
      ? `Built from import runs: ${r.importRuns.map((run) => `#${run.id} ${plain(run.fileName)}`).join(", ")}`
      : "Built from no import runs.",
    "",
  ];
  if (r.lines.length === 0) {
    out.push("No savings figures for this year and measure.");
  } else {
    const rows = [
      [
        "Service",
        "Kind",
        "Council",
        "GSS code",
        "Share %",
        "Total",
        "Expected",
        "Claimed",
        "Variance",
        "Status",
      ],
      ...r.lines.map((line) => [
        plain(line.service.name),
        line.cashable ? "cashable" : "non-cashable",
        plain(line.council.shortName),
        line.council.gssCode,
        line.shareBasis === ShareBasis.REPORTED
          ? "reported"
          : line.appliedPercent === null
            ? "—"
            : `${line.appliedPercent}${line.shareBasis === ShareBasis.EQUAL ? " (equal)" : ""}`,
        formatPounds(line.totalPence),
        formatPounds(line.expectedPence),
        formatPounds(line.claimedPence),
        formatPounds(line.variancePence),
        line.status,
      ]),
    ];
    out.push(...table(rows, new Set([4, 5, 6, 7, 8])));
  }
  out.push("");
  for (const total of r.totals) {
    const kind = total.cashable ? "Cashable" : "Non-cashable";
    out.push(
      `${kind}: partnership total £${formatPounds(total.totalPence)}, claims £${formatPounds(total.claimedPence)}, difference £${formatPounds(total.differencePence)}` +
        (total.claimedWithoutTotalPence !== 0n
          ? `; claims without a total £${formatPounds(total.claimedWithoutTotalPence)}`
          : "") +
        (total.doubleCounting ? "  DOUBLE_COUNTING" : ""),
    );
  }
  for (const s of r.services.filter((s) => s.doubleCounting))
    out.push(
      `DOUBLE_COUNTING: ${plain(s.service.name)} (${s.cashable ? "cashable" : "non-cashable"}): claims £${formatPounds(s.claimedPence)} exceed the total £${formatPounds(s.totalPence)}.`,
    );
  const notes = [
    ...new Set(
      r.lines.map((l) => l.note).filter((n): n is string => n !== null),
    ),
  ];
  for (const note of [...r.warnings, ...notes])
    out.push(`Note: ${plain(note)}`);
  return `${out.join("\n")}\n`;
}

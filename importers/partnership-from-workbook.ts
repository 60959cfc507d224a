import { MembershipRole } from "../schema/membership.js";
import type { Partnership } from "../schema/partnership.js";
import { amountScale } from "./coerce-amount.js";
import type { TitleFacts } from "./locate-header.js";
import type { SheetFacts } from "./sheet-reading.js";
import { readPeriodPhrase } from "./reporting-period-text.js";
import type { CouncilLookup } from "./council-lookup.js";
import type { ProblemCollector } from "./import-problem.js";
import type {
  PartnershipDirectory,
  RecordCounts,
} from "./partnership-directory.js";
import { titleContextCodes } from "./title-context-codes.js";

/** Titles that name a kind of document, not a partnership. */
const GENERIC_TITLE =
  /^(?:the\s+)?(?:shared\s+services?\s+)?(?:savings?|tracker|savings\s+tracker|monthly\s+(?:savings\s+)?return|services?|service\s+list|governance|funding)$/i;

/** "RCE FUNDED SHARED SERVICES PROJECT – progress of the workstreams" → the line and its first part. */
function namePieces(line: string): string[] {
  const first = line.split(/\s+[–—-]\s+|:\s+|\s+\|\s+/)[0]!.trim();
  return first && first !== line ? [line.trim(), first] : [line.trim()];
}

/** The title line a new partnership is named from: the first that is not a council list, a period or a scale. */
function titleName(
  title: TitleFacts,
  lookup: CouncilLookup,
): { name: string; cell: string } | null {
  for (let i = 0; i < title.lines.length; i++) {
    const line = title.lines[i]!;
    const name = namePieces(line).at(-1)!;
    const councils = lookup.list(line);
    if (councils.length > 0 && councils.every((c) => c.status === "resolved"))
      continue;
    if (readPeriodPhrase(line).status !== "none") continue;
    if (amountScale(line) !== 1n && line.length < 40) continue;
    if (GENERIC_TITLE.test(name) || name.length < 3) continue;
    return { name, cell: title.lineCells[i] ?? "A1" };
  }
  return null;
}

/**
 * The partnership a sheet belongs to when neither a column, a "Partnership:" line nor `--partnership`
 * names one and its councils fit no single partnership: a title line (or a part of it before a
 * dash) or the sheet's name that is a partnership's name or alternative name; else the one
 * partnership whose members are exactly the councils the rows and the title name; else, when
 * `mayCreate`, a new partnership named from the title, its members the councils of the rows and
 * the title, reported as a warning (and, through the directory, as created, with the near-duplicate
 * warning when its name is close to another's). Null when the workbook gives nothing to go on.
 */
export function partnershipFromWorkbook(
  reading: SheetFacts,
  context: {
    directory: PartnershipDirectory;
    lookup: CouncilLookup;
    problems: ProblemCollector;
  },
  listed: ReadonlySet<string>,
  counts: RecordCounts,
  mayCreate: boolean,
): Partnership | null {
  const { directory, lookup, problems } = context;
  for (const candidate of [
    ...reading.title.lines.flatMap(namePieces),
    reading.name,
  ]) {
    const found = directory.findPartnership(candidate);
    if (found) return found;
  }
  // The councils the title names: in its lines and on its "Partners:" line.
  const titleCouncils = [
    ...titleContextCodes(lookup, reading.title),
    ...(reading.title.partners ? lookup.list(reading.title.partners) : [])
      .filter((r) => r.status === "resolved")
      .map((r) => r.council.gssCode),
  ];
  const councils = new Set([...listed, ...titleCouncils]);
  const byMembers = directory
    .findByMembers(councils)
    .filter((p) => directory.memberCodes(p).length === councils.size);
  if (byMembers.length === 1) return byMembers[0]!;
  if (!mayCreate || councils.size === 0) return null;
  const named = titleName(reading.title, lookup);
  if (!named) return null;
  const source = { sheet: reading.name, cell: named.cell };
  const partnership = directory.partnership(named.name, source, counts);
  for (const gss of councils)
    directory.member(partnership, gss, MembershipRole.MEMBER, source, counts);
  problems.add({
    code: "partnership-from-workbook",
    sheet: reading.name,
    cell: named.cell,
    value: named.name,
    answer: { option: "partnership" },
    message: `Sheet "${reading.name}" names no partnership and its councils fit none: the partnership "${named.name}" was created from the title in ${named.cell}. If it is an existing partnership, import with --partnership NAME or add "${named.name}" to its alternative names.`,
  });
  return partnership;
}

import type { EntityManager } from "@mikro-orm/postgresql";
import { fromPence } from "../schema/money.js";
import { FundingAward } from "../schema/funding-award.js";
import type { GovernanceBody } from "../schema/governance-body.js";
import { GovernanceSeat } from "../schema/governance-seat.js";
import { MembershipRole } from "../schema/membership.js";
import type { Partnership } from "../schema/partnership.js";
import { ServiceStatus, type Service } from "../schema/service.js";
import {
  describeCandidates,
  describeSplits,
  type CouncilLookup,
  type CouncilReading,
} from "./council-lookup.js";
import type { ProblemCollector } from "./import-problem.js";
import {
  governanceKind,
  type PartnershipDirectory,
  type RecordCounts,
  type RecordSource,
} from "./partnership-directory.js";
import type {
  FundingSheetReading,
  GovernanceSheetReading,
  ServiceRecord,
  ServiceSheetReading,
  SheetFacts,
} from "./sheet-reading.js";
import {
  countMemberSeats,
  membersChair,
  readSeats,
  seatCellCount,
} from "./read-governance-seats.js";
import { nameKey } from "./record-names.js";
import { FormulaWithoutValue } from "./cell-value.js";
import {
  decideSheetPartnership,
  type SheetPartnershipDecision,
} from "./decide-sheet-partnership.js";
import { partnershipFromWorkbook } from "./partnership-from-workbook.js";
import { titleContextCodes } from "./title-context-codes.js";
import { columnLetter } from "./locate-header.js";

/** What every sheet writer needs: the transaction, the directory, problems and options. */
export interface SheetWriteContext {
  em: EntityManager;
  directory: PartnershipDirectory;
  problems: ProblemCollector;
  lookup: CouncilLookup;
  /** `--partnership` or the profile's partnership. */
  partnership: string | null;
  skipInvalidRows: boolean;
}

/** The service status a council's wording means, or null when it says none clearly. */
export function serviceStatus(text: string | null): ServiceStatus | null {
  if (!text) return null;
  const t = text.toLowerCase();
  if (/\b(?:ended|ceased|closed|terminated|withdrawn|wound up)\b/.test(t))
    return ServiceStatus.ENDED;
  if (
    /\b(?:live|operational|operating|went live|in operation|running)\b/.test(t)
  )
    return ServiceStatus.LIVE;
  if (
    /\b(?:implementation|implementing|underway|under way|in progress|being set up|transition)\b/.test(
      t,
    )
  )
    return ServiceStatus.IN_IMPLEMENTATION;
  if (/\b(?:approved|agreed|signed)\b/.test(t)) return ServiceStatus.APPROVED;
  if (
    /\b(?:proposed|proposal|identified|under consideration|considering|options appraisal|business case)\b/.test(
      t,
    )
  )
    return ServiceStatus.PROPOSED;
  return null;
}

/** Reports unknown or ambiguous councils in a cell; returns the GSS codes it did resolve. */
export function councilCodes(
  readings: readonly CouncilReading[],
  where: {
    sheet: string;
    cell: string;
    row: number;
    header: string;
    value: string;
  },
  problems: ProblemCollector,
): string[] {
  const codes: string[] = [];
  for (const reading of readings) {
    if (reading.status === "resolved") codes.push(reading.council.gssCode);
    else if (reading.status === "ambiguous-list")
      problems.add({
        code: "ambiguous-council",
        ...where,
        message: `"${reading.text}" in ${where.cell} lists councils in more than one way: ${describeSplits(reading.splits)}. Write one council per line, or their GSS codes separated by commas.`,
      });
    else if (reading.status === "ambiguous")
      problems.add({
        code: "ambiguous-council",
        ...where,
        message: `"${reading.text}" in ${where.cell} could be ${describeCandidates(reading.candidates)}: write the council's full name or GSS code, or name the partnership so that its councils decide.`,
      });
    else
      problems.add({
        code: "unknown-council",
        ...where,
        message: `"${reading.text}" in ${where.cell} is not an English council the register knows: check the spelling, or write its GSS code (e.g. E07000033).`,
      });
  }
  return codes;
}

/**
 * The councils a sheet names without needing context (title "Partners:" line and every council cell
 * that resolves on its own), so that short forms ("CBC", "BDC") can then be decided among them.
 */
export function sheetContextCodes(
  lookup: CouncilLookup,
  texts: Iterable<string>,
): string[] {
  const codes = new Set<string>();
  for (const text of texts)
    for (const reading of lookup.list(text))
      if (reading.status === "resolved") codes.add(reading.council.gssCode);
  return [...codes];
}

/** Each row's partnership: the one its Partnership cell names, else the sheet's. */
export class RowPartnerships {
  constructor(
    private readonly directory: PartnershipDirectory,
    /** Undefined when every row names its own. */
    private readonly sheetWide: Partnership | undefined,
  ) {}

  /** The row's partnership, created when the directory has none of its name. */
  of(
    record: { partnership: string | null },
    source: RecordSource,
    counts: RecordCounts,
  ): Partnership {
    return record.partnership
      ? this.directory.partnership(record.partnership, source, counts)
      : this.sheetWide!;
  }

  /** The row's partnership when the directory has it already, without creating one. */
  existing(record: { partnership: string | null }): Partnership | null {
    return record.partnership
      ? this.directory.findPartnership(record.partnership)
      : this.sheetWide!;
  }
}

/**
 * The partnerships of a list's rows (a service, governance or funding list): a row's own, else the
 * sheet's (sheetPartnership). Null, with the problem, when a row needs the sheet's and none fits.
 */
export function rowPartnerships(
  reading: SheetFacts,
  context: SheetWriteContext,
  listed: ReadonlySet<string>,
  counts: RecordCounts,
  records: readonly { partnership: string | null }[],
): RowPartnerships | null {
  const rowsNameOne =
    records.length > 0 && records.every((r) => r.partnership !== null);
  const sheetWide = sheetPartnership(
    reading,
    context,
    listed,
    counts,
    rowsNameOne,
  );
  return sheetWide === null
    ? null
    : new RowPartnerships(context.directory, sheetWide);
}

/**
 * The partnership a sheet belongs to when its rows name none (see decideSheetPartnership). Null
 * (with an unknown-partnership problem) when none fits; undefined when the rows must say.
 */
function sheetPartnership(
  reading: SheetFacts,
  context: SheetWriteContext,
  listed: ReadonlySet<string>,
  counts: RecordCounts,
  rowsNameOne: boolean,
): Partnership | null | undefined {
  const decided = decideSheetPartnership({
    option: context.partnership,
    titlePartnership: reading.title.partnership,
    rowsNameOne,
    listed,
    findByMembers: (codes) => context.directory.findByMembers(codes),
    allowCreate: true,
  });
  const found = decidedPartnership(decided, reading, context, listed, counts);
  if (found || decided.kind !== "workbook") return found;
  const matches = decided.matches;
  context.problems.add({
    code: "unknown-partnership",
    sheet: reading.name,
    cell: `A${reading.headerRow}`,
    answer: { option: "partnership" },
    message:
      matches.length > 1
        ? `Sheet "${reading.name}" names no partnership, and its councils belong to several (${matches.map((p) => p.name).join(", ")}): add a Partnership column or a "Partnership: NAME" line above the table, or import with --partnership NAME.`
        : `Sheet "${reading.name}" names no partnership, and no partnership has ${listed.size ? "exactly these councils" : "its councils"}: add a Partnership column or a "Partnership: NAME" line above the table, or import with --partnership NAME.`,
  });
  return null;
}

/**
 * The partnership a decision names: the named one (created if new), the members' one, or the
 * workbook's (partnershipFromWorkbook, null when it finds none); undefined when the rows say.
 */
export function decidedPartnership(
  decided: SheetPartnershipDecision<Partnership>,
  reading: SheetFacts,
  context: SheetWriteContext,
  listed: ReadonlySet<string>,
  counts: RecordCounts,
): Partnership | null | undefined {
  switch (decided.kind) {
    case "named":
      return context.directory.partnership(
        decided.name,
        {
          sheet: reading.name,
          cell: reading.title.cells.partnership ?? `A${reading.headerRow}`,
        },
        counts,
      );
    case "rows":
      return undefined;
    case "members":
      return decided.partnership;
    case "workbook":
      return partnershipFromWorkbook(
        reading,
        context,
        listed,
        counts,
        decided.mayCreate,
      );
  }
}

/** A service list's row as written: its record and the service it created or updated. */
export interface WrittenService {
  record: ServiceRecord;
  service: Service;
}

/** What writing a service list leaves for its estimates (stageServiceEstimates). */
export interface WrittenServiceSheet {
  services: WrittenService[];
  /** The "Submitted by" line's council (GSS code); null when it names none: the partnership's own. */
  submitter: string | null;
}

/** The key of a service's extra under which the councils its list marks as taking part are kept. */
export const COUNCILS_TAKING_PART = "Councils taking part (as marked)";

/**
 * The councils a service list's row marks as taking part ("Y" under the council's header): each
 * the partnership's member, as the councils of a Partners cell are (the model holds a partnership's
 * members, not a service's). A council marked that was not a member of a partnership that had
 * members is a warning naming the mark's cell: it is added as a member, as a Partners cell's would be.
 */
function markedMembers(
  record: ServiceRecord,
  markedCouncil: ReadonlyMap<number, string | null>,
  before: ReadonlySet<string>,
  where: {
    sheet: string;
    partnership: Partnership;
    headers: readonly string[];
  },
  problems: ProblemCollector,
): string[] {
  const codes: string[] = [];
  for (const { column, cell } of record.councilMarks) {
    const gss = markedCouncil.get(column);
    if (!gss) continue; // reported at its header cell
    codes.push(gss);
    if (before.size === 0 || before.has(gss)) continue;
    const header = where.headers[column] ?? "";
    problems.add({
      code: "not-a-member",
      sheet: where.sheet,
      row: record.row,
      cell,
      header,
      value: header,
      message: `${cell} marks ${header} as taking part in "${record.name}", but it was not a member of "${where.partnership.name}": it was added as one, as a Partners column's councils are. If it takes no part, clear the mark.`,
    });
  }
  return codes;
}

/**
 * Writes a service list: partnerships, memberships, services (created or updated, never deleted).
 * Returns the services written and who submitted the list, for its estimates' figures.
 */
export function writeServiceSheet(
  reading: ServiceSheetReading,
  context: SheetWriteContext,
  counts: RecordCounts,
): WrittenServiceSheet {
  const { directory, problems } = context;
  const sheet = reading.name;
  const base = context.lookup;
  const named = context.partnership ?? reading.title.partnership;
  const namedPartnership = named ? directory.findPartnership(named) : null;
  const contextCodes = sheetContextCodes(base, [
    ...(reading.title.partners ? [reading.title.partners] : []),
    ...reading.services.flatMap((r) =>
      [r.partners?.text, r.host?.text].filter((t): t is string => !!t),
    ),
    ...reading.map.councilColumns.map((column) => column.header),
  ]);
  const lookup = base.withContext([
    ...contextCodes,
    ...titleContextCodes(base, reading.title),
    ...(namedPartnership ? directory.memberCodes(namedPartnership) : []),
  ]);
  const titlePartners = reading.title.partners
    ? councilCodes(
        lookup.list(reading.title.partners),
        {
          sheet,
          cell: reading.title.cells.partners ?? "A1",
          row: 0,
          header: "Partners",
          value: reading.title.partners,
        },
        problems,
      )
    : [];
  // The council each council column names (its header, read once; a problem at the header cell).
  const markedCouncil = new Map<number, string | null>();
  for (const { index, header } of reading.map.councilColumns) {
    const cell = `${columnLetter(index)}${reading.headerRow}`;
    const where = { sheet, cell, row: 0, header, value: header };
    const codes = councilCodes(lookup.list(header), where, problems);
    markedCouncil.set(index, codes.length === 1 ? codes[0]! : null);
  }
  const hostHeader =
    reading.map.headers[reading.map.roles.get("host") ?? -1] ?? "";
  const hostRole = /lead/i.test(hostHeader)
    ? MembershipRole.LEAD
    : MembershipRole.HOST;
  const rows = reading.services.map((record) => {
    const partners = record.partners
      ? councilCodes(
          lookup.list(record.partners.text),
          {
            sheet,
            cell: record.partners.cell,
            row: record.row,
            header:
              reading.map.headers[reading.map.roles.get("partners")!] ?? "",
            value: record.partners.text,
          },
          problems,
        )
      : [];
    const hosts = record.host
      ? councilCodes(
          lookup.list(record.host.text),
          {
            sheet,
            cell: record.host.cell,
            row: record.row,
            header: hostHeader,
            value: record.host.text,
          },
          problems,
        )
      : [];
    return { record, partners, hosts };
  });
  const listed = new Set([
    ...titlePartners,
    ...rows.flatMap((r) => r.partners),
  ]);
  const partnerships = rowPartnerships(
    reading,
    context,
    listed,
    counts,
    reading.services,
  );
  const written: WrittenServiceSheet = {
    services: [],
    submitter: listSubmitter(reading, lookup, problems),
  };
  if (partnerships === null) return written;
  // Each partnership's members before the sheet: a council marked "Y" that is none is named.
  const membersBefore = new Map<Partnership, ReadonlySet<string>>();
  for (const { record, partners, hosts } of rows) {
    if (context.problems.rowIsInvalid(sheet, record.row)) continue;
    const source = { sheet, cell: record.cell };
    const partnership = partnerships.of(record, source, counts);
    if (!membersBefore.has(partnership))
      membersBefore.set(
        partnership,
        new Set(directory.memberCodes(partnership)),
      );
    const marked = markedMembers(
      record,
      markedCouncil,
      membersBefore.get(partnership)!,
      { sheet, partnership, headers: reading.map.headers },
      problems,
    );
    for (const gss of hosts)
      directory.member(partnership, gss, hostRole, source, counts);
    for (const gss of [...titlePartners, ...partners, ...marked])
      directory.member(partnership, gss, MembershipRole.MEMBER, source, counts);
    const { service, created } = directory.service(
      partnership,
      record.name,
      source,
      counts,
    );
    const footnote = record.mark
      ? reading.footnotes.get(record.mark)
      : undefined;
    const notes = [
      record.notes,
      footnote
        ? `${record.mark} ${footnote}`
        : record.mark
          ? `Marked "${record.mark}" in the list.`
          : null,
    ]
      .filter(Boolean)
      .join(" ");
    const governingBody = record.governingBody
      ? directory.body(partnership, record.governingBody, source, counts).body
      : undefined;
    const extra = {
      ...(record.extra ?? {}),
      ...(record.councilMarks.length
        ? {
            [COUNCILS_TAKING_PART]: record.councilMarks
              .map((m) => reading.map.headers[m.column])
              .join(", "),
          }
        : {}),
      ...(hosts.length > 1
        ? { "Hosted by (as written)": record.host!.text }
        : {}),
    };
    directory.update(
      service,
      {
        category: record.category,
        statusText: record.statusText,
        status: serviceStatus(record.statusText),
        hostCouncil: hosts.length === 1 ? directory.council(hosts[0]!) : null,
        hostRole: hosts.length >= 1 ? hostRole : null,
        goLiveDate: record.goLive.kind === "day" ? record.goLive.date : null,
        goLiveText: record.goLive.kind === "period" ? record.goLive.text : null,
        goLiveFrom:
          record.goLive.kind === "period"
            ? record.goLive.from
            : record.goLive.kind === "day"
              ? record.goLive.date
              : null,
        goLiveTo:
          record.goLive.kind === "period"
            ? record.goLive.to
            : record.goLive.kind === "day"
              ? record.goLive.date
              : null,
        estimatedAnnualSaving:
          record.annualSaving === null ? null : fromPence(record.annualSaving),
        notes: notes || null,
        extra: Object.keys(extra).length ? extra : null,
        ...(governingBody ? { governingBody } : {}),
      },
      source,
      counts,
      created,
    );
    written.services.push({ record, service });
  }
  return written;
}

/**
 * The council a service list's "Submitted by" line names, for its estimates' `reportedBy` (only
 * when the list has estimates). One that names no single council is a warning, and the estimates
 * are the partnership's: the list itself imports as it did before its estimates were figures.
 */
function listSubmitter(
  reading: ServiceSheetReading,
  lookup: CouncilLookup,
  problems: ProblemCollector,
): string | null {
  const text = reading.title.submittedBy;
  if (!text || reading.map.roles.get("annualSaving") === undefined) return null;
  const resolved = lookup
    .list(text)
    .filter((r) => r.status === "resolved")
    .map((r) => r.council.gssCode);
  if (resolved.length === 1) return resolved[0]!;
  const cell = reading.title.cells.submittedBy;
  problems.add({
    code: "unknown-council",
    severity: "warning",
    sheet: reading.name,
    ...(cell ? { cell } : {}),
    value: text,
    message: `"${text}"${cell ? ` in ${cell}` : ""} names ${resolved.length > 1 ? "several councils" : "no council the importer could decide"}, so the estimated savings are recorded as the partnership's own: write the submitting council's full name or GSS code.`,
  });
  return null;
}

/** One council's seats on a body, and the cell that says so. */
interface SeatEntry {
  gss: string;
  seats: number | null;
  cell: string;
  /** Who sits, when the sheet lists its members (else the row's representation). */
  role?: string | null;
}

/**
 * Writes a governance list: bodies (kind from the type column or the name) and their seats, read
 * from a membership cell in any common wording (readSeats), from columns headed by councils, or
 * counted from member rows under each body (countMemberSeats: a seat a row, the posts as who sits,
 * a member whose role is Chair as the body's chair when no Chair column says).
 */
export async function writeGovernanceSheet(
  reading: GovernanceSheetReading,
  context: SheetWriteContext,
  counts: RecordCounts,
): Promise<void> {
  const { directory, problems, em } = context;
  const sheet = reading.name;
  const membershipHeader =
    reading.map.headers[reading.map.roles.get("membership") ?? -1] ?? "";
  const seatReadings = reading.governance.map((r) =>
    r.membership ? readSeats(r.membership.text) : null,
  );
  const contextCodes = sheetContextCodes(context.lookup, [
    ...(reading.title.partners ? [reading.title.partners] : []),
    ...seatReadings.flatMap((r) =>
      r?.kind === "listed" ? r.groups.map((g) => g.councils) : [],
    ),
    ...reading.map.councilColumns.map((c) => c.header),
    ...reading.governance.flatMap((r) =>
      r.members.flatMap((m) => (m.council ? [m.council.text] : [])),
    ),
  ]);
  const named = context.partnership ?? reading.title.partnership;
  const namedPartnership = named ? directory.findPartnership(named) : null;
  const lookup = context.lookup.withContext([
    ...contextCodes,
    ...titleContextCodes(context.lookup, reading.title),
    ...(namedPartnership ? directory.memberCodes(namedPartnership) : []),
  ]);
  const titlePartners = reading.title.partners
    ? sheetContextCodes(lookup, [reading.title.partners])
    : [];
  const rows = reading.governance.map((record, i) => {
    const read = seatReadings[i] ?? null;
    const where = {
      sheet,
      cell: record.membership?.cell ?? record.cell,
      row: record.row,
      header: membershipHeader,
      value: record.membership?.text ?? "",
    };
    const listed: SeatEntry[] =
      read?.kind === "listed"
        ? read.groups.flatMap((group) =>
            councilCodes(lookup.list(group.councils), where, problems).map(
              (gss) => ({ gss, seats: group.seats, cell: where.cell }),
            ),
          )
        : [];
    const columns = record.councilSeats.flatMap((c): SeatEntry[] => {
      const held = seatCellCount(
        c.value instanceof Date || c.value instanceof FormulaWithoutValue
          ? null
          : c.value,
      );
      if (!held) return [];
      return councilCodes(
        lookup.list(c.council),
        {
          sheet,
          cell: c.cell,
          row: record.row,
          header: c.council,
          value: String(c.value),
        },
        problems,
      ).map((gss) => ({ gss, seats: held.seats, cell: c.cell }));
    });
    const councilIndex = reading.map.roles.get("council");
    const councilHeader = reading.map.headers[councilIndex ?? -1] ?? "";
    const members = countMemberSeats(record.members, (member) =>
      councilCodes(
        lookup.list(member.council!.text),
        {
          sheet,
          cell: member.council!.cell,
          row: member.row,
          header: councilHeader,
          value: member.council!.text,
        },
        problems,
      ),
    );
    if (councilIndex !== undefined)
      for (const member of record.members)
        if (member.council === null)
          problems.add({
            code: "missing-value",
            severity: "warning",
            sheet,
            row: member.row,
            cell: `${columnLetter(councilIndex)}${member.row}`,
            header: councilHeader,
            value: "",
            message: `Row ${member.row} names ${member.member ? `"${member.member}"` : "a member"} of ${record.name} but no council: it is counted in no council's seats. Fill in its ${councilHeader}.`,
          });
    const everyCouncil = read?.kind === "listed" ? null : read;
    return {
      record,
      seats: [...listed, ...columns, ...members],
      everyCouncil,
    };
  });
  const listed = new Set(rows.flatMap((r) => r.seats.map((s) => s.gss)));
  const partnerships = rowPartnerships(
    reading,
    context,
    listed,
    counts,
    reading.governance,
  );
  if (partnerships === null) return;
  const seatsOf = await seatsOnBodies(
    em,
    rows.flatMap(({ record }) => {
      if (problems.rowIsInvalid(sheet, record.row)) return [];
      const partnership = partnerships.existing(record);
      const body = partnership && directory.findBody(partnership, record.name);
      return body ? [body] : [];
    }),
  );
  for (const { record, seats, everyCouncil } of rows) {
    if (problems.rowIsInvalid(sheet, record.row)) continue;
    const source = { sheet, cell: record.cell };
    const partnership = partnerships.of(record, source, counts);
    if (everyCouncil) {
      // "3 members from each council", "equal numbers": the partnership's councils, as known so far.
      const cell = record.membership!.cell;
      const codes = [
        ...new Set([...directory.memberCodes(partnership), ...titlePartners]),
      ];
      if (codes.length === 0)
        problems.add({
          code: "missing-value",
          sheet,
          row: record.row,
          cell,
          header: membershipHeader,
          value: record.membership!.text,
          message: `"${record.membership!.text}" in ${cell} means every council of ${partnership.name}, but it has none yet: name the councils ("Cheshire East: 3; Cheshire West and Chester: 3"), add a "Partners:" line, or import the service list first.`,
        });
      for (const gss of codes)
        seats.push({
          gss,
          seats: everyCouncil.kind === "each" ? everyCouncil.seats : null,
          cell,
        });
    }
    if (problems.rowIsInvalid(sheet, record.row)) continue;
    const { body, created } = directory.body(
      partnership,
      record.name,
      source,
      counts,
    );
    const extra =
      everyCouncil?.kind === "unstated"
        ? { ...record.extra, "Membership (as written)": everyCouncil.text }
        : record.extra;
    directory.update(
      body,
      {
        kind: governanceKind(record.typeText ?? record.name),
        chair: record.chair ?? membersChair(record.members),
        notes: record.notes,
        extra,
      },
      source,
      counts,
      created,
    );
    let bodySeats = seatsOf.get(body);
    if (!bodySeats) seatsOf.set(body, (bodySeats = new Map()));
    for (const { gss, seats: count, cell, role } of seats) {
      directory.member(partnership, gss, MembershipRole.MEMBER, source, counts);
      const council = directory.council(gss);
      let seat = bodySeats.get(council.id);
      const isNew = !seat;
      if (!seat) {
        seat = em.create(GovernanceSeat, { body, council });
        directory.stamp(seat, { sheet, cell });
        bodySeats.set(council.id, seat);
        counts.created++;
      }
      directory.update(
        seat,
        {
          seats: count,
          role: role !== undefined ? role : record.representation,
        },
        { sheet, cell },
        counts,
        isNew,
      );
    }
  }
}

/** Writes a funding list: awards matched by partnership and funder, created or updated. */
export async function writeFundingSheet(
  reading: FundingSheetReading,
  context: SheetWriteContext,
  counts: RecordCounts,
): Promise<void> {
  const { directory, problems, em } = context;
  const sheet = reading.name;
  const titleCodes = reading.title.partners
    ? sheetContextCodes(context.lookup, [reading.title.partners])
    : [];
  const partnerships = rowPartnerships(
    reading,
    context,
    new Set(titleCodes),
    counts,
    reading.funding,
  );
  if (partnerships === null) return;
  const awardsOf = await awardsOfPartnerships(
    em,
    reading.funding.flatMap((record) => {
      if (problems.rowIsInvalid(sheet, record.row)) return [];
      const partnership = partnerships.existing(record);
      return partnership ? [partnership] : [];
    }),
  );
  for (const record of reading.funding) {
    if (problems.rowIsInvalid(sheet, record.row)) continue;
    const source = { sheet, cell: record.cell };
    const partnership = partnerships.of(record, source, counts);
    for (const gss of titleCodes)
      directory.member(partnership, gss, MembershipRole.MEMBER, source, counts);
    let awards = awardsOf.get(partnership);
    if (!awards) awardsOf.set(partnership, (awards = new Map()));
    let award = awards.get(nameKey(record.funder));
    const isNew = !award;
    if (!award) {
      award = em.create(FundingAward, {
        partnership,
        funder: record.funder,
        amount: fromPence(record.pence),
      });
      directory.stamp(award, source);
      awards.set(nameKey(record.funder), award);
      counts.created++;
    }
    directory.update(
      award,
      {
        amount: fromPence(record.pence),
        purpose: record.purpose,
        awardedOn: record.awarded.kind === "day" ? record.awarded.date : null,
        awardedText:
          record.awarded.kind === "period"
            ? record.awarded.text
            : record.awarded.kind === "day"
              ? null
              : null,
        extra: record.extra,
      },
      source,
      counts,
      isNew,
    );
  }
}

/**
 * The seats held on these bodies, by body and council id, in one statement for the bodies already
 * stored (a body created by this import holds none yet): never every seat of the database.
 */
async function seatsOnBodies(
  em: EntityManager,
  bodies: readonly GovernanceBody[],
): Promise<Map<GovernanceBody, Map<number, GovernanceSeat>>> {
  const byBody = new Map<GovernanceBody, Map<number, GovernanceSeat>>();
  const stored = [...new Set(bodies)].filter((b) => b.id !== undefined);
  if (stored.length === 0) return byBody;
  for (const body of stored) byBody.set(body, new Map());
  for (const seat of await em.find(
    GovernanceSeat,
    { body: { $in: stored.map((b) => b.id) } },
    { orderBy: { id: "asc" } },
  ))
    byBody.get(seat.body as GovernanceBody)!.set(seat.council.id, seat);
  return byBody;
}

/**
 * The funding awards of these partnerships, by partnership and funder (nameKey: case and
 * punctuation ignored, the oldest first), in one statement for the partnerships already stored.
 */
async function awardsOfPartnerships(
  em: EntityManager,
  partnerships: readonly Partnership[],
): Promise<Map<Partnership, Map<string, FundingAward>>> {
  const byPartnership = new Map<Partnership, Map<string, FundingAward>>();
  const stored = [...new Set(partnerships)].filter((p) => p.id !== undefined);
  if (stored.length === 0) return byPartnership;
  for (const partnership of stored) byPartnership.set(partnership, new Map());
  for (const award of await em.find(
    FundingAward,
    { partnership: { $in: stored.map((p) => p.id) } },
    { orderBy: { id: "asc" } },
  )) {
    const awards = byPartnership.get(award.partnership as Partnership)!;
    const key = nameKey(award.funder);
    if (!awards.has(key)) awards.set(key, award);
  }
  return byPartnership;
}

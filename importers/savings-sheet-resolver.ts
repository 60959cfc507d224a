import type { CouncilLookup, CouncilReading } from "./council-lookup.js";
import {
  decideSheetPartnership,
  type SheetPartnershipDecision,
} from "./decide-sheet-partnership.js";
import type { TitleFacts } from "./locate-header.js";
import type { SavingsRows } from "./savings-rows.js";
import { titleContextCodes } from "./title-context-codes.js";
import { sheetContextCodes } from "./write-sheet-records.js";

/** How many year slots a council key holds: slot 0 is the sheet's own date, 1-255 the years 1900-2154. */
const YEAR_SLOTS = 256;

/**
 * The key a figure's council is decided under: its council text with the financial year it is read
 * as of (issue 10 item 5: "Buckinghamshire" in a 2015/16 row is the county council, in a 2021/22
 * row the unitary one), or -1 for a row naming no council. A figure without a year (a row with an
 * error) is read as of the sheet's date.
 */
export function datedCouncilKey(rows: SavingsRows, i: number): number {
  return councilKey(rows.council[i]!, rows.year[i]!);
}

/** The datedCouncilKey of a council text (its index, -1 for none) read as of a financial year (0: the sheet's date). */
export function councilKey(text: number, year: number): number {
  if (text < 0) return -1;
  const slot = year >= 1900 && year < 1900 + YEAR_SLOTS - 1 ? year - 1899 : 0;
  return text * YEAR_SLOTS + slot;
}

/** The council text's index (in the rows' texts) of a datedCouncilKey. */
export function councilTextIndex(key: number): number {
  return Math.floor(key / YEAR_SLOTS);
}

/** The date a datedCouncilKey's council is read as of: the 1st of April of its year; null: the sheet's. */
function keyDate(key: number): string | null {
  const slot = key % YEAR_SLOTS;
  return slot === 0 ? null : `${slot + 1899}-04-01`;
}

/** What the resolver asks of the partnerships the hub holds (PartnershipDirectory answers it). */
export interface PartnershipFacts<P> {
  findPartnership(name: string): P | null;
  memberCodes(partnership: P): string[];
  findByMembers(codes: ReadonlySet<string>): P[];
  /** Whether any partnership has a service of this name. */
  knowsService(name: string): boolean;
}

/** What the resolver decides at the end of a savings sheet. */
export interface SavingsSheetDecisions<P> {
  /** Councils read with the whole sheet's context: the title's, the partnership's and every row's. */
  lookup: CouncilLookup;
  /**
   * Each council text as of a year (its datedCouncilKey) with the first worksheet row naming it, in
   * row order.
   */
  councilTexts: ReadonlyMap<number, number>;
  /** Each dated council text's readings with the whole sheet's context. */
  readings: ReadonlyMap<number, CouncilReading[]>;
  /** Each dated council text's council, null when it names none or several. */
  councilOf: ReadonlyMap<number, string | null>;
  /** The councils the rows name (those decided). */
  listed: ReadonlySet<string>;
  /** Who submitted the sheet (its figures' `reportedBy`); null: the partnership's own. */
  submitter: string | null;
  /** The title's "Submitted by:" readings, when it has that line. */
  submitterReadings: CouncilReading[] | null;
  /** The sheet-level partnership: for rows that do not name their own. */
  partnership: SheetPartnershipDecision<P>;
}

/**
 * The savings-sheet rules, in one place, for both the writer that streams figures while the sheet is
 * read and the one that writes them at its end. Fed the sheet's rows batch by batch (`read`), it
 * answers what is already certain: a council text's council (`council`), the submitter
 * (`submitter`) and the sheet's partnership when it is named (`partnership`); at the end of the
 * sheet (`end`) it decides everything with the whole sheet read.
 *
 * The rules: councils are read as of each figure's financial year (its datedCouncilKey), else the
 * sheet's date (the lookup given), short forms among the
 * councils the title names, the named partnership's members and every council the rows name on
 * their own. The submitter is the "Submitted by:" line's council, else the one council every row
 * names (a blank council or one that names none counts as another), else none. A row's partnership
 * is its own column's; else the sheet's (see decideSheetPartnership).
 *
 * An answer given before the end is never changed by later rows: a council text is answered only
 * when no council named further down could make it read otherwise (CouncilLookup.settledList), and
 * the submitter only from the title or from two rows already certain to differ. `end` checks this
 * and throws if it ever did not hold, so a streamed figure is always one the whole sheet decides.
 */
export class SavingsSheetResolver<P> {
  private readonly context = new Set<string>();
  private lookup: CouncilLookup;
  /** The lookups as of each year's 1 April (no context), and with the context of `version`. */
  private readonly dated = new Map<string, CouncilLookup>();
  private readonly datedWithContext = new Map<string, CouncilLookup>();
  private datedVersion = 0;
  /** Bumped whenever the context grows: an unsettled text is tried again only then. */
  private version = 0;
  private readonly firstRow = new Map<number, number>();
  /** Council texts certain already: their council, null for none. */
  private readonly settled = new Map<number, string | null>();
  /** Council texts not yet certain, with the context version they were last tried at. */
  private readonly unsettled = new Map<number, number>();
  /** The values (council or null) rows are already certain to have, for the submitter. */
  private readonly certainValues = new Set<string | null>();
  private readonly seenServices = new Set<number>();
  private anyServiceKnown = false;
  private allNamePartnership = true;
  private figures = 0;
  private submitterSoFar: string | null | undefined = undefined;
  private submitterTriedAt = -1;
  private readonly named: string | null;

  /**
   * @param base councils as of the sheet's date, with no context yet
   * @param option `--partnership` (or the profile's), which beats the title's "Partnership:" line
   */
  constructor(
    private readonly base: CouncilLookup,
    private readonly title: TitleFacts,
    private readonly option: string | null,
    private readonly facts: PartnershipFacts<P>,
    private readonly rows: SavingsRows,
  ) {
    this.named = option ?? title.partnership;
    const partnership = this.named ? facts.findPartnership(this.named) : null;
    const titleTexts = [title.partners, title.submittedBy].filter(
      (t): t is string => !!t,
    );
    for (const code of [
      ...sheetContextCodes(base, titleTexts),
      ...titleContextCodes(base, title),
      ...(partnership ? facts.memberCodes(partnership) : []),
    ])
      this.context.add(code);
    this.lookup = base.withContext(this.context);
    this.settle();
  }

  /** The lookup (no context) a dated council key is read with: as of its year, else the sheet's date. */
  private baseFor(key: number): CouncilLookup {
    const date = keyDate(key);
    if (date === null) return this.base;
    let lookup = this.dated.get(date);
    if (!lookup) this.dated.set(date, (lookup = this.base.asOf(date)));
    return lookup;
  }

  /** The lookup with the sheet's context so far that a dated council key is read with. */
  private lookupFor(key: number): CouncilLookup {
    const date = keyDate(key);
    if (date === null) return this.lookup;
    if (this.datedVersion !== this.version) {
      this.datedWithContext.clear();
      this.datedVersion = this.version;
    }
    let lookup = this.datedWithContext.get(date);
    if (!lookup)
      this.datedWithContext.set(
        date,
        (lookup = this.baseFor(key).withContext(this.context)),
      );
    return lookup;
  }

  /** The text of a dated council key. */
  private textOf(key: number): string {
    return this.rows.text(councilTextIndex(key))!;
  }

  /** Takes in the rows from `from` to the end of the rows (their council, partnership and service). */
  read(from: number): void {
    const rows = this.rows;
    let grew = false;
    for (let i = from; i < rows.length; i++) {
      this.figures++;
      const c = datedCouncilKey(rows, i);
      if (c < 0) this.certainValues.add(null);
      else if (!this.firstRow.has(c)) {
        this.firstRow.set(c, rows.row[i]!);
        this.unsettled.set(c, -1);
        for (const code of sheetContextCodes(this.baseFor(c), [this.textOf(c)]))
          if (!this.context.has(code)) {
            this.context.add(code);
            grew = true;
          }
      }
      if (rows.partnership[i]! < 0) this.allNamePartnership = false;
      const s = rows.service[i]!;
      if (!this.seenServices.has(s)) {
        this.seenServices.add(s);
        // As the hub held it before this sheet's rows were written: a streamed row may add one.
        if (!this.anyServiceKnown)
          this.anyServiceKnown = this.facts.knowsService(rows.text(s)!);
      }
    }
    if (grew) {
      this.version++;
      this.lookup = this.base.withContext(this.context);
    }
    this.settle();
  }

  /** Answers, with the context so far, whatever no later row can change. */
  private settle(): void {
    for (const [key, tried] of this.unsettled) {
      if (tried === this.version) continue;
      const readings = this.lookupFor(key).settledList(this.textOf(key));
      if (readings) {
        const gss = onlyCouncil(readings);
        this.settled.set(key, gss);
        this.certainValues.add(gss);
        this.unsettled.delete(key);
      } else this.unsettled.set(key, this.version);
    }
    if (this.submitterSoFar !== undefined) return;
    if (this.title.submittedBy) {
      if (this.submitterTriedAt === this.version) return;
      this.submitterTriedAt = this.version;
      const readings = this.lookup.settledList(this.title.submittedBy);
      if (readings) this.submitterSoFar = firstCouncil(readings);
    } else if (this.certainValues.size > 1) this.submitterSoFar = null;
  }

  /** A dated council text's council once certain (null: it names none or several); undefined until then. */
  council(key: number): string | null | undefined {
    return this.settled.get(key);
  }

  /** The submitter once certain (null: the partnership's own); undefined until then. */
  submitter(): string | null | undefined {
    return this.submitterSoFar;
  }

  /** The sheet-level partnership once certain (it is named); undefined until the end of the sheet. */
  partnership(): SheetPartnershipDecision<P> | undefined {
    return this.named ? { kind: "named", name: this.named } : undefined;
  }

  /** Decides everything with the whole sheet read; throws if it contradicts an answer given before. */
  end(): SavingsSheetDecisions<P> {
    const lookup = this.lookup;
    const councilTexts = new Map(
      [...this.firstRow].sort((a, b) => a[1] - b[1]),
    );
    const readings = new Map<number, CouncilReading[]>();
    const councilOf = new Map<number, string | null>();
    for (const key of councilTexts.keys()) {
      const read = this.lookupFor(key).list(this.textOf(key));
      readings.set(key, read);
      councilOf.set(key, onlyCouncil(read));
    }
    const listed = new Set(
      [...councilOf.values()].filter((c): c is string => c !== null),
    );
    let submitter: string | null = null;
    let submitterReadings: CouncilReading[] | null = null;
    if (this.title.submittedBy) {
      submitterReadings = lookup.list(this.title.submittedBy);
      submitter = firstCouncil(submitterReadings);
    } else {
      const values = new Set<string | null>(
        this.certainValues.has(null) ? [null] : [],
      );
      for (const gss of councilOf.values()) values.add(gss);
      const [only] = values;
      if (values.size === 1 && only) submitter = only;
    }
    for (const [key, gss] of this.settled)
      if (councilOf.get(key) !== gss)
        throw new Error(
          `"${this.textOf(key)}" was certain to be ${gss ?? "no council"} but is ${councilOf.get(key) ?? "no council"} at the end of the sheet`,
        );
    if (this.submitterSoFar !== undefined && this.submitterSoFar !== submitter)
      throw new Error(
        `the submitter was certain to be ${this.submitterSoFar ?? "none"} but is ${submitter ?? "none"} at the end of the sheet`,
      );
    const partnership = decideSheetPartnership({
      option: this.option,
      titlePartnership: this.title.partnership,
      rowsNameOne: this.figures === 0 || this.allNamePartnership,
      listed,
      findByMembers: (codes) => this.facts.findByMembers(codes),
      allowCreate: !this.anyServiceKnown,
    });
    return {
      lookup,
      councilTexts,
      readings,
      councilOf,
      listed,
      submitter,
      submitterReadings,
      partnership,
    };
  }
}

/** What the service-by-name rule asks of the partnerships the hub holds (PartnershipDirectory answers it). */
export interface ServiceFacts<P, S> {
  /** The partnerships this council is a member of. */
  partnershipsOf(gss: string): readonly P[];
  /** Every partnership. */
  all(): readonly P[];
  /** The partnership's service of this name, if any. */
  findService(partnership: P, name: string): S | null;
}

/** A service found by its name alone: the one, or why none could be chosen. */
export type ServiceByName<S> =
  | { kind: "found"; service: S }
  /** Services of this name in several partnerships: the row must name its partnership. */
  | { kind: "several" }
  /** No such service where it was looked for. */
  | { kind: "none" };

/**
 * The savings-sheet rule for a row that names no partnership in a sheet that decides none: its
 * service is the one service called `name` among the partnerships of the row's council (`gss`, or
 * the submitter's), or among every partnership for a row with no council. Both writers reach it
 * through stageSavingsSheet: the streaming one leaves such rows until the end of the sheet, since
 * only the end decides that the sheet has no partnership.
 */
export function serviceByName<P, S>(
  facts: ServiceFacts<P, S>,
  name: string,
  gss: string | null,
): ServiceByName<S> {
  const candidates = (gss ? facts.partnershipsOf(gss) : facts.all())
    .map((p) => facts.findService(p, name))
    .filter((service): service is S => service !== null);
  if (candidates.length === 1)
    return { kind: "found", service: candidates[0]! };
  return { kind: candidates.length > 1 ? "several" : "none" };
}

/** The council of a cell that names exactly one (other pieces unknown or ambiguous aside). */
function onlyCouncil(readings: readonly CouncilReading[]): string | null {
  const resolved = readings.filter((r) => r.status === "resolved");
  return resolved.length === 1 ? resolved[0]!.council.gssCode : null;
}

/** The first council a "Submitted by:" line names. */
function firstCouncil(readings: readonly CouncilReading[]): string | null {
  const first = readings.find((r) => r.status === "resolved");
  return first ? first.council.gssCode : null;
}

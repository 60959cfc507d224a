import { acronymKey, councilAcronyms } from "./council-acronyms.js";
import type { CouncilRecord } from "./council-record.js";
import { loadCouncilRecords } from "./load-register.js";
import {
  coreCouncilName,
  normaliseCouncilName,
} from "./normalise-council-name.js";

/**
 * What a piece of text names. `matchedBy` says how: "gssCode", "formerGssCode", "contextAcronym",
 * "registerCode", "acronym", "officialName", "shortName", "alternativeName" or
 * "nameWithoutDesignator", with "+context", "+date" or "+current" when that rule picked one of
 * several councils the name fits.
 */
export type CouncilResolution =
  | { status: "resolved"; council: CouncilRecord; matchedBy: string }
  | { status: "ambiguous"; candidates: CouncilRecord[] }
  | { status: "unknown" };

/** What the caller knows about where the text came from. */
export interface ResolveContext {
  /** GSS codes of the partnership's councils; they decide short forms and break ties. */
  councils?: readonly string[];
  /** ISO date: among several councils of one name, prefer those existing then. */
  date?: string;
}

type NameKind = "officialName" | "shortName" | "alternativeName";

const GSS_PATTERN = /^[EKNSW]\d{8}$/i;
const REGISTER_CODE_PATTERN = /^[A-Za-z]{3}$/;

function isCurrent(record: CouncilRecord): boolean {
  return record.endDate === null;
}

function existsOn(record: CouncilRecord, date: string): boolean {
  return (
    (record.startDate === null || record.startDate <= date) &&
    (record.endDate === null || record.endDate >= date)
  );
}

function byCurrentThenCode(a: CouncilRecord, b: CouncilRecord): number {
  return (
    Number(isCurrent(b)) - Number(isCurrent(a)) ||
    a.gssCode.localeCompare(b.gssCode)
  );
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

/**
 * The register of English councils with indexes built once, so that resolving a name is a few
 * Map lookups.
 *
 * Precedence in resolveCouncil, first that applies wins:
 * 1. A GSS code (current or former) is looked up exactly; unknown codes are "unknown".
 * 2. A single-token acronym ("CBC", "NEDDC", "CWaC", "CW&C") is checked against the initials of
 *    the context's councils: a partnership's own short forms beat everything else, because
 *    "CBC" means Chesterfield in Derbyshire papers and Cheltenham in Gloucestershire ones.
 * 3. Names: exact official, short or alternative name (after normalising case, punctuation, "&",
 *    apostrophes and spacing), then the name without designators ("Borough Council", "BC", "City
 *    of", ...). One exact match resolves. Several councils are narrowed by, in order: the
 *    context's councils; the context's date; a text that is exactly one candidate's official
 *    name ("Buckinghamshire County Council", though the ONS lists it among today's
 *    Buckinghamshire Council's alternatives); and the current-name rule: a current council wins
 *    when the text is exactly its own name (official, short, or official less "Council") and no
 *    other candidate's ("Buckinghamshire" is Buckinghamshire Council, the old county's ONS name
 *    being only an alternative; "Somerset" stays ambiguous, being the short name of both the old
 *    county council and the new unitary; "Durham" too, being the old City of Durham's short name
 *    and only an alternative of Durham County Council). Otherwise the answer is ambiguous with
 *    every candidate, current first.
 * 4. A three-letter mySociety register code, case-insensitive, unless the same letters are also
 *    the initials of another council, in which case the answer is ambiguous: "CHE" is Cheshire
 *    East, but "RCC" (Redcar and Cleveland's code, Rutland County Council's initials) is not
 *    trusted blindly. Callers reading a column known to hold codes should use byRegisterCode.
 * 5. Initials of any English council: one match resolves, several are ambiguous.
 */
export class CouncilRegister {
  private static defaultRegister: CouncilRegister | undefined;

  /** Every council, sorted by GSS code. */
  readonly records: readonly CouncilRecord[];
  private readonly gssIndex = new Map<string, CouncilRecord>();
  private readonly registerCodeIndex = new Map<string, CouncilRecord>();
  private readonly exactNameIndex = new Map<
    string,
    Map<CouncilRecord, NameKind>
  >();
  private readonly coreNameIndex = new Map<string, Set<CouncilRecord>>();
  private readonly acronymIndex = new Map<string, Set<CouncilRecord>>();
  private readonly ownNames = new Map<CouncilRecord, Set<string>>();
  private readonly acronyms = new Map<CouncilRecord, Set<string>>();

  constructor(records: readonly CouncilRecord[]) {
    this.records = [...records].sort((a, b) =>
      a.gssCode.localeCompare(b.gssCode),
    );
    for (const record of this.records) {
      for (const code of [record.gssCode, ...record.formerGssCodes])
        this.gssIndex.set(code.toUpperCase(), record);
      if (record.registerCode)
        this.registerCodeIndex.set(record.registerCode.toUpperCase(), record);

      const names: [string, NameKind][] = [
        [record.officialName, "officialName"],
        [record.shortName, "shortName"],
        ...record.alternativeNames.map((name): [string, NameKind] => [
          name,
          "alternativeName",
        ]),
      ];
      for (const [name, kind] of names) {
        const key = normaliseCouncilName(name);
        if (key === "") continue;
        let matches = this.exactNameIndex.get(key);
        if (!matches) this.exactNameIndex.set(key, (matches = new Map()));
        // Keep the strongest kind when one council has the same name twice.
        if (!matches.has(record)) matches.set(record, kind);
        addTo(this.coreNameIndex, coreCouncilName(key), record);
      }

      const official = normaliseCouncilName(record.officialName);
      this.ownNames.set(
        record,
        new Set([
          official,
          normaliseCouncilName(record.shortName),
          official.replace(/ council$/, ""),
        ]),
      );
      const acronyms = councilAcronyms(record.officialName);
      this.acronyms.set(record, acronyms);
      for (const acronym of acronyms) addTo(this.acronymIndex, acronym, record);
    }
  }

  /** The register read from fixtures/reference, loaded on first use and shared afterwards. */
  static default(): CouncilRegister {
    CouncilRegister.defaultRegister ??= new CouncilRegister(
      loadCouncilRecords(),
    );
    return CouncilRegister.defaultRegister;
  }

  /** The council that has or had this GSS code (case-insensitive). */
  byGssCode(code: string): CouncilRecord | undefined {
    return this.gssIndex.get(code.trim().toUpperCase());
  }

  /** The council with this mySociety three-letter code (case-insensitive). */
  byRegisterCode(code: string): CouncilRecord | undefined {
    return this.registerCodeIndex.get(code.trim().toUpperCase());
  }

  /**
   * Every council this text could name under some context (its GSS code's, its names', its
   * initials' and its register code's councils): resolveCouncil's answer depends on the context
   * only through which of these it holds.
   */
  candidates(text: string): CouncilRecord[] {
    const trimmed = text.trim();
    if (trimmed === "" || GSS_PATTERN.test(trimmed)) return [];
    const found = new Set<CouncilRecord>();
    const acronym = acronymKey(trimmed);
    if (acronym !== null)
      for (const record of this.acronymIndex.get(acronym) ?? [])
        found.add(record);
    const name = normaliseCouncilName(trimmed);
    for (const record of this.exactNameIndex.get(name)?.keys() ?? [])
      found.add(record);
    for (const record of this.coreNameIndex.get(coreCouncilName(name)) ?? [])
      found.add(record);
    if (REGISTER_CODE_PATTERN.test(trimmed)) {
      const council = this.byRegisterCode(trimmed);
      if (council) found.add(council);
    }
    return [...found];
  }

  /** Which council a piece of text names; see the class comment for the precedence. */
  resolveCouncil(
    text: string,
    context: ResolveContext = {},
  ): CouncilResolution {
    const trimmed = text.trim();
    if (trimmed === "") return { status: "unknown" };

    if (GSS_PATTERN.test(trimmed)) {
      const council = this.byGssCode(trimmed);
      if (!council) return { status: "unknown" };
      return {
        status: "resolved",
        council,
        matchedBy:
          council.gssCode === trimmed.toUpperCase()
            ? "gssCode"
            : "formerGssCode",
      };
    }

    const acronym = acronymKey(trimmed);
    // Codes in the context that match no council are ignored: they cannot name anything.
    const contextCouncils = (context.councils ?? [])
      .map((code) => this.byGssCode(code))
      .filter((record): record is CouncilRecord => record !== undefined);
    if (acronym !== null && contextCouncils.length > 0) {
      const matches = [
        ...new Set(
          contextCouncils.filter((record) =>
            this.acronyms.get(record)?.has(acronym),
          ),
        ),
      ];
      if (matches.length === 1 && matches[0])
        return {
          status: "resolved",
          council: matches[0],
          matchedBy: "contextAcronym",
        };
      if (matches.length > 1)
        return this.narrow(matches, () => "contextAcronym", "", context);
    }

    const name = normaliseCouncilName(trimmed);
    const exact = this.exactNameIndex.get(name);
    if (exact && exact.size === 1) {
      const [[council, kind]] = [...exact] as [[CouncilRecord, NameKind]];
      return { status: "resolved", council, matchedBy: kind };
    }
    const withoutDesignator = this.coreNameIndex.get(coreCouncilName(name));
    const nameMatches = new Set([
      ...(exact?.keys() ?? []),
      ...(withoutDesignator ?? []),
    ]);
    if (nameMatches.size > 0) {
      const labelFor = (record: CouncilRecord): string =>
        exact?.get(record) ?? "nameWithoutDesignator";
      return this.narrow([...nameMatches], labelFor, name, context);
    }

    const acronymMatches =
      acronym === null ? [] : [...(this.acronymIndex.get(acronym) ?? [])];
    if (REGISTER_CODE_PATTERN.test(trimmed)) {
      const council = this.byRegisterCode(trimmed);
      if (council && acronymMatches.every((record) => record === council)) {
        return { status: "resolved", council, matchedBy: "registerCode" };
      }
      if (council)
        return this.narrow(
          [...new Set([council, ...acronymMatches])],
          (record) => (record === council ? "registerCode" : "acronym"),
          "",
          context,
        );
    }

    if (acronymMatches.length > 0)
      return this.narrow(acronymMatches, () => "acronym", "", context);
    return { status: "unknown" };
  }

  /**
   * Picks one of several candidates by, in order, the context's councils, the context's date, a
   * unique official name and the current-name rule; otherwise answers ambiguous, current first.
   */
  private narrow(
    candidates: CouncilRecord[],
    labelFor: (record: CouncilRecord) => string,
    normalisedText: string,
    context: ResolveContext,
  ): CouncilResolution {
    let pool = candidates;
    const only = (
      records: CouncilRecord[],
      rule: string | null,
    ): CouncilResolution | undefined =>
      records.length === 1 && records[0]
        ? {
            status: "resolved",
            council: records[0],
            matchedBy: rule
              ? `${labelFor(records[0])}+${rule}`
              : labelFor(records[0]),
          }
        : undefined;
    const single = only(pool, null);
    if (single) return single;

    if (context.councils && context.councils.length > 0) {
      const inContext = pool.filter((record) =>
        context.councils?.some((code) => this.byGssCode(code) === record),
      );
      const picked = only(inContext, "context");
      if (picked) return picked;
      if (inContext.length > 1) pool = inContext;
    }

    if (context.date) {
      const date = context.date;
      const existing = pool.filter((record) => existsOn(record, date));
      const picked = only(existing, "date");
      if (picked) return picked;
      if (existing.length > 1) pool = existing;
    }

    // Official names are legal identities: text that is exactly one candidate's official name
    // means that council even if another lists it as an alternative ("Buckinghamshire County
    // Council" is in the ONS alternatives of today's Buckinghamshire Council).
    const officialOwners = pool.filter(
      (record) => normaliseCouncilName(record.officialName) === normalisedText,
    );
    if (officialOwners.length === 1 && officialOwners[0]) {
      return {
        status: "resolved",
        council: officialOwners[0],
        matchedBy: "officialName",
      };
    }

    const owners = pool.filter((record) =>
      this.ownNames.get(record)?.has(normalisedText),
    );
    const currentOwners = owners.filter(isCurrent);
    if (currentOwners.length === 1 && owners.length === 1) {
      const picked = only(currentOwners, "current");
      if (picked) return picked;
    }

    return {
      status: "ambiguous",
      candidates: [...pool].sort(byCurrentThenCode),
    };
  }
}

/** resolveCouncil on the default register (fixtures/reference). */
export function resolveCouncil(
  text: string,
  context?: ResolveContext,
): CouncilResolution {
  return CouncilRegister.default().resolveCouncil(text, context);
}

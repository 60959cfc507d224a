import type { CouncilRecord } from "../register/council-record.js";
import type { CouncilRegister } from "../register/resolve-council.js";
import { findCouncilNames } from "../register/find-council-names.js";
import { splitCouncilList } from "../register/split-council-list.js";

/** One council named in a cell, or why the text names none. */
export type CouncilReading =
  | { status: "resolved"; text: string; council: CouncilRecord }
  | { status: "ambiguous"; text: string; candidates: CouncilRecord[] }
  | { status: "unknown"; text: string }
  | {
      /** The cell splits into councils in more than one equally good way. */
      status: "ambiguous-list";
      text: string;
      splits: { text: string; council: CouncilRecord }[][];
    };

/** A reading of one piece of text: never "ambiguous-list". */
type SegmentReading = Exclude<CouncilReading, { status: "ambiguous-list" }>;

/**
 * Reads council names through the register, with the partnership's (or the workbook's) councils as
 * context and, when the sheet says, as of a date, remembering answers (a million-row tracker names
 * a handful of councils). Lists in one cell are split by splitCouncilList.
 */
export class CouncilLookup {
  private readonly cache = new Map<string, SegmentReading>();
  private readonly lists = new Map<string, CouncilReading[]>();
  private readonly prose = new Map<string, CouncilRecord[]>();

  constructor(
    private readonly register: CouncilRegister,
    private readonly context: readonly string[] = [],
    private readonly date: string | undefined = undefined,
  ) {}

  /** A lookup with more context councils (GSS codes): short forms are decided among them. */
  withContext(codes: Iterable<string>): CouncilLookup {
    const merged = [...new Set([...this.context, ...codes])].sort();
    if (merged.length === this.context.length) return this;
    return new CouncilLookup(this.register, merged, this.date);
  }

  /** A lookup reading names as of an ISO date ("Buckinghamshire" in 2015 is the county council). */
  asOf(date: string | null): CouncilLookup {
    const next = date ?? undefined;
    if (next === this.date) return this;
    return new CouncilLookup(this.register, this.context, next);
  }

  /** The context's GSS codes. */
  get contextCodes(): readonly string[] {
    return this.context;
  }

  /** One council from its text. */
  one(text: string): SegmentReading {
    const trimmed = text.trim().replace(/\s+/g, " ");
    let reading = this.cache.get(trimmed);
    if (reading) return reading;
    const result = this.register.resolveCouncil(trimmed, {
      councils: this.context,
      ...(this.date ? { date: this.date } : {}),
    });
    reading =
      result.status === "resolved"
        ? { status: "resolved", text: trimmed, council: result.council }
        : result.status === "ambiguous"
          ? {
              status: "ambiguous",
              text: trimmed,
              candidates: result.candidates,
            }
          : { status: "unknown", text: trimmed };
    this.cache.set(trimmed, reading);
    return reading;
  }

  /** The councils a line of prose names in full (see findCouncilNames), as of the lookup's date. */
  namedIn(text: string): CouncilRecord[] {
    let named = this.prose.get(text);
    if (!named) {
      const date = this.date ? { date: this.date } : {};
      named = findCouncilNames(text, (name) =>
        this.register.resolveCouncil(name, date),
      );
      this.prose.set(text, named);
    }
    return named;
  }

  /** Every council a cell lists (see splitCouncilList). */
  list(text: string): CouncilReading[] {
    let readings = this.lists.get(text);
    if (readings) return readings;
    const split = splitCouncilList(text, (segment) => this.one(segment), {
      councils: this.context,
      ...(this.date ? { date: this.date } : {}),
    });
    readings =
      split.status === "ambiguous"
        ? [{ status: "ambiguous-list", text: split.text, splits: split.splits }]
        : split.segments.map((segment) => segment.reading);
    this.lists.set(text, readings);
    return readings;
  }

  /**
   * What `list(text)` answers, when no larger context (more councils named further down the sheet)
   * could change it; null when one could. The answer depends on the context only through the
   * councils the text's pieces could name and through whether there is a context at all, so every
   * such larger context is tried (a few at most; more than MAX_OPEN_CANDIDATES councils still
   * outside it count as "could change").
   */
  settledList(text: string): CouncilReading[] | null {
    const readings = this.list(text);
    const possible = new Set<string>();
    splitCouncilList(
      text,
      (segment) => {
        const trimmed = segment.trim().replace(/\s+/g, " ");
        for (const council of this.register.candidates(trimmed))
          possible.add(council.gssCode);
        return this.one(segment);
      },
      {
        councils: this.context,
        ...(this.date ? { date: this.date } : {}),
      },
    );
    const held = new Set(this.context);
    const open = [...possible].filter((code) => !held.has(code));
    if (open.length > MAX_OPEN_CANDIDATES) return null;
    // With no context yet, a context of councils this text cannot name still changes list splitting.
    const bases = this.context.length === 0 ? [[], [NO_COUNCIL]] : [[]];
    const answer = readingsKey(readings);
    for (const base of bases)
      for (let mask = 0; mask < 1 << open.length; mask++) {
        if (base.length === 0 && mask === 0) continue;
        const more = [...base, ...open.filter((_, i) => mask & (1 << i))];
        const wider = new CouncilLookup(
          this.register,
          [...this.context, ...more],
          this.date,
        );
        if (readingsKey(wider.list(text)) !== answer) return null;
      }
    return readings;
  }
}

/** Councils still outside the context beyond which settledList does not try every combination. */
const MAX_OPEN_CANDIDATES = 10;

/** A GSS code of no council: a context that names none of a text's councils. */
const NO_COUNCIL = "E99999999";

/** What a list of readings names, as text to compare. */
function readingsKey(readings: readonly CouncilReading[]): string {
  return readings
    .map((r) =>
      r.status === "resolved"
        ? `${r.text}=${r.council.gssCode}`
        : r.status === "ambiguous"
          ? `${r.text}?${r.candidates.map((c) => c.gssCode).join(",")}`
          : r.status === "unknown"
            ? `${r.text}!`
            : `${r.text}:${JSON.stringify(r.splits.map((s) => s.map((x) => [x.text, x.council.gssCode])))}`,
    )
    .join("|");
}

/** "Chesterfield Borough Council or Charnwood Borough Council": the candidates, for a problem message. */
export function describeCandidates(
  candidates: readonly CouncilRecord[],
): string {
  const names = candidates
    .slice(0, 5)
    .map((c) => `${c.officialName} (${c.gssCode})`);
  const more =
    candidates.length > 5 ? ` and ${candidates.length - 5} more` : "";
  return names.length > 1
    ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}${more}`
    : `${names[0] ?? "none"}${more}`;
}

/** '"A and B" + "C" (…) or "A" + "B and C" (…)': the ways a list splits, for a problem message. */
export function describeSplits(
  splits: readonly (readonly { text: string; council: CouncilRecord }[])[],
): string {
  return splits
    .map(
      (split) =>
        split.map((s) => `"${s.text}"`).join(" + ") +
        ` (${split.map((s) => `${s.council.officialName} ${s.council.gssCode}`).join(", ")})`,
    )
    .join(" or ");
}

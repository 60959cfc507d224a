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

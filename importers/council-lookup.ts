import type { CouncilRecord } from "../register/council-record.js";
import type { CouncilRegister } from "../register/resolve-council.js";

/** One council named in a cell, or why the text names none. */
export type CouncilReading =
  | { status: "resolved"; text: string; council: CouncilRecord }
  | { status: "ambiguous"; text: string; candidates: CouncilRecord[] }
  | { status: "unknown"; text: string };

const LIST_SEPARATORS = /\s*(?:[,;/\n]|\s\+\s)\s*/;
const AND_SEPARATOR = /\s+(?:&|and)\s+/i;
const TRAILING_COUNCILS = /\s+(?:councils|authorities)$/i;

/**
 * Reads council names through the register, with the partnership's councils as context, remembering
 * answers (a million-row tracker names a handful of councils). Lists in one cell ("CBC, BDC, NEDDC",
 * "A; B", "A & B", "A and B") are split, but never a name that is itself a council ("Cheshire West
 * and Chester", "Redcar & Cleveland").
 */
export class CouncilLookup {
  private readonly cache = new Map<string, CouncilReading>();

  constructor(
    private readonly register: CouncilRegister,
    private readonly context: readonly string[] = [],
  ) {}

  /** A lookup with more context councils (GSS codes): short forms are decided among them. */
  withContext(codes: Iterable<string>): CouncilLookup {
    const merged = [...new Set([...this.context, ...codes])].sort();
    if (merged.length === this.context.length) return this;
    return new CouncilLookup(this.register, merged);
  }

  /** The context's GSS codes. */
  get contextCodes(): readonly string[] {
    return this.context;
  }

  /** One council from its text. */
  one(text: string): CouncilReading {
    const trimmed = text.trim().replace(/\s+/g, " ");
    let reading = this.cache.get(trimmed);
    if (reading) return reading;
    const result = this.register.resolveCouncil(trimmed, {
      councils: this.context,
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

  /** Every council a cell lists. */
  list(text: string): CouncilReading[] {
    const whole = text.trim();
    if (whole === "") return [];
    const first = this.one(whole);
    if (first.status !== "unknown") return [first];
    const readings: CouncilReading[] = [];
    for (const part of whole.split(LIST_SEPARATORS)) {
      if (part === "") continue;
      const reading = this.one(part);
      if (reading.status !== "unknown") {
        readings.push(reading);
        continue;
      }
      const pieces = part.replace(TRAILING_COUNCILS, "").split(AND_SEPARATOR);
      const pieceReadings = pieces.map((piece) =>
        this.one(piece.replace(TRAILING_COUNCILS, "")),
      );
      if (
        pieces.length > 1 &&
        pieceReadings.every((r) => r.status !== "unknown")
      )
        readings.push(...pieceReadings);
      else readings.push(reading);
    }
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

import { normaliseCouncilName } from "./normalise-council-name.js";

// Papers write "CWaC" and "RBWM" alike, so initials are made both with and without these words.
const CONJUNCTIONS = new Set(["and"]);
const PARTICLES = new Set(["of", "the", "upon", "on", "in", "with"]);

/** Acronyms shorter than this are too common ("DC", "CC") to identify anything. */
const MIN_ACRONYM_LENGTH = 3;

/**
 * The acronym a text would be if it is one: a single token of letters, "&" and full stops, read
 * as upper-case initials with "&" as "A" ("CW&C" and "CWaC" -> "CWAC", "N.E.D.D.C." -> "NEDDC").
 * Null for anything with spaces, digits or fewer than three letters.
 */
export function acronymKey(text: string): string | null {
  const compact = text.trim().replace(/\./g, "");
  if (
    !/^[A-Za-z&]+$/.test(compact) ||
    compact.length < MIN_ACRONYM_LENGTH ||
    compact.length > 10
  ) {
    return null;
  }
  return compact.toUpperCase().replace(/&/g, "A");
}

/**
 * The initials papers use for a council, made from its official name: every combination of
 * keeping or dropping "and", the particles ("of", "upon", ...) and a final "Council".
 * "Cheshire West and Chester Council" -> CWACC, CWAC, CWCC, CWC; "Royal Borough of Windsor and
 * Maidenhead" -> RBWM among others; "Chesterfield Borough Council" -> CBC.
 */
export function councilAcronyms(officialName: string): Set<string> {
  const words = normaliseCouncilName(officialName).split(" ").filter(Boolean);
  const acronyms = new Set<string>();
  for (const keepAnd of [true, false]) {
    for (const keepParticles of [true, false]) {
      for (const keepCouncil of [true, false]) {
        const kept = words.filter(
          (word, i) =>
            (keepAnd || !CONJUNCTIONS.has(word)) &&
            (keepParticles || !PARTICLES.has(word)) &&
            (keepCouncil || !(word === "council" && i === words.length - 1)),
        );
        const initials = kept
          .map((word) => word[0] ?? "")
          .join("")
          .toUpperCase();
        if (initials.length >= MIN_ACRONYM_LENGTH) acronyms.add(initials);
      }
    }
  }
  return acronyms;
}

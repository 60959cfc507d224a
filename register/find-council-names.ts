import type { CouncilRecord } from "./council-record.js";
import type { CouncilResolution } from "./resolve-council.js";

/** Words and list separators of a line of prose. */
const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*|[,;/&+]/gu;
const SEPARATOR_TOKEN = /^(?:[,;/&+]|and)$/i;
const DESIGNATOR =
  /\b(?:councils?|borough|district|county|city|authority|authorities)\b/i;

/** A council name is at most this many words ("City and County of the City of London"). */
const MAX_NAME_TOKENS = 8;

/** How a council was found: its official, short or alternative name, with or without designators, or its code. */
const NAME_MATCHES =
  /^(?:officialName|shortName|alternativeName|nameWithoutDesignator|gssCode|formerGssCode)(?:\+|$)/;

interface Found {
  council: CouncilRecord;
  first: number;
  last: number;
  text: string;
}

/**
 * The councils a line of prose names in full, e.g. a title "Cambridge City, Huntingdonshire and
 * South Cambridgeshire Shared Services" or "CHESTERFIELD BOROUGH COUNCIL, BOLSOVER DISTRICT
 * COUNCIL". A dynamic programme over the words picks the reading that covers the most words with
 * council names (a longer name beats a shorter one inside it: "South Cambridgeshire", not
 * "Cambridgeshire"), then the fewest names. Only names count (never initials or three-letter
 * codes, which prose is full of), and since a lone word can be a place as much as a council
 * ("Reading"), a name is kept only when it stands in a list of two or more councils or carries a
 * designator ("Rugby Borough Council").
 */
export function findCouncilNames(
  text: string,
  resolve: (name: string) => CouncilResolution,
): CouncilRecord[] {
  const tokens = [...text.matchAll(TOKEN)].map((m) => ({
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
  const isWord = (i: number) => !/^[,;/&+]$/.test(tokens[i]!.text);
  // best[i]: the best reading of the first i tokens: words covered, names used, and the names.
  const best: { covered: number; names: number; found: Found[] }[] = [
    { covered: 0, names: 0, found: [] },
  ];
  for (let end = 1; end <= tokens.length; end++) {
    let pick = { ...best[end - 1]! };
    const last = end - 1;
    if (isWord(last) && !SEPARATOR_TOKEN.test(tokens[last]!.text))
      for (
        let first = Math.max(0, end - MAX_NAME_TOKENS);
        first < end;
        first++
      ) {
        const head = tokens[first]!.text;
        if (!isWord(first) || SEPARATOR_TOKEN.test(head)) continue;
        if (!/^[\p{Lu}\p{N}]/u.test(head)) continue; // names are capitalised
        const name = text.slice(tokens[first]!.start, tokens[last]!.end);
        const resolution = resolve(name);
        if (
          resolution.status !== "resolved" ||
          !NAME_MATCHES.test(resolution.matchedBy)
        )
          continue;
        const before = best[first]!;
        let words = 0;
        for (let i = first; i < end; i++) if (isWord(i)) words++;
        const covered = before.covered + words;
        const names = before.names + 1;
        if (
          covered > pick.covered ||
          (covered === pick.covered && names < pick.names)
        )
          pick = {
            covered,
            names,
            found: [
              ...before.found,
              { council: resolution.council, first, last, text: name },
            ],
          };
      }
    best.push(pick);
  }
  const found = best[tokens.length]!.found;
  // Names joined only by separators form a list.
  const inList = found.map((f, i) => {
    const joined = (a: Found, b: Found) => {
      for (let t = a.last + 1; t < b.first; t++)
        if (!SEPARATOR_TOKEN.test(tokens[t]!.text)) return false;
      return a.council !== b.council;
    };
    return (
      (i > 0 && joined(found[i - 1]!, f)) ||
      (i + 1 < found.length && joined(f, found[i + 1]!))
    );
  });
  const kept = found
    .filter((f, i) => inList[i] || DESIGNATOR.test(f.text))
    .map((f) => f.council);
  return [...new Set(kept)];
}

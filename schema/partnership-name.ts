/**
 * The key names of records are matched by: case, punctuation, "&"/"and" and spacing ignored, so
 * "Shared back-office" and "Shared Back Office" are the same record, and "Bromsgrove & Redditch" is
 * "Bromsgrove and Redditch".
 */
export function nameKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** What the matcher reads of a partnership. */
export interface NamedPartnership {
  name: string;
  alternativeNames: readonly string[];
}

/** The partnerships a name matches: by name, else by alternative names (possibly several). */
export interface PartnershipNameMatch<T> {
  /** The one partnership the text names; null when none does or it is ambiguous. */
  match: T | null;
  /** Every partnership one of whose names matches, by name first (in the order given). */
  candidates: T[];
}

/**
 * Matches a partnership name as people write it against the partnerships' names and alternative
 * names (`nameKey`: case, punctuation, "&" = "and"). A match on the name wins (names are unique);
 * otherwise an alternative name held by exactly one partnership. The one matcher of partnership
 * names: the importer's directory, `sshub reconcile --partnership`, GraphQL arguments and the export.
 */
export function matchPartnershipName<T extends NamedPartnership>(
  partnerships: readonly T[],
  text: string,
): PartnershipNameMatch<T> {
  const key = nameKey(text);
  if (!key) return { match: null, candidates: [] };
  const byName = partnerships.filter((p) => nameKey(p.name) === key);
  const byAlternative = partnerships.filter(
    (p) =>
      !byName.includes(p) &&
      p.alternativeNames.some((alt) => nameKey(alt) === key),
  );
  const candidates = [...byName, ...byAlternative];
  const match =
    byName.length >= 1
      ? byName[0]!
      : byAlternative.length === 1
        ? byAlternative[0]!
        : null;
  return { match, candidates };
}

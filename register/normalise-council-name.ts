/**
 * Normalises a council name for comparison: case, accents, apostrophes, full stops, "&"/"+" for
 * "and", "saint" for "st", other punctuation and spacing. "Bolsover D.C." -> "bolsover dc",
 * "King's Lynn" -> "kings lynn", "Stoke-on-Trent" -> "stoke on trent".
 */
export function normaliseCouncilName(text: string): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      // Deleted rather than spaced so that "D.C." reads "dc" and "King's" reads "kings".
      .replace(/['\u2018\u2019`\u00b4.]/g, "")
      .replace(/[&+]/g, " and ")
      .replace(/[^a-z0-9]+/g, " ")
      .trim()
      .replace(/\bsaint\b/g, "st")
  );
}

// Longest first, so "borough council" goes before "council" would leave "borough" behind.
const PREFIXES = [
  "city and county of the ",
  "city and county of ",
  "borough council of ",
  "council of the ",
  "council of ",
  "royal borough of ",
  "london borough of ",
  "metropolitan borough of ",
  "borough of ",
  "district of ",
  "county of ",
  "city of ",
  "county ",
  "the ",
];

const SUFFIXES = [
  " metropolitan borough council",
  " metropolitan district council",
  " city and district council",
  " london borough council",
  " borough council",
  " district council",
  " county council",
  " city council",
  " unitary authority",
  " metropolitan borough",
  " london borough",
  " corporation",
  " council",
  " borough",
  " district",
  " county",
  " city",
  " mbc",
  " mdc",
  " lbc",
  " bc",
  " dc",
  " cc",
  " ua",
];

/**
 * The name without its designators ("Borough Council", "BC", "City of", "London Borough of", ...),
 * taken from an already normalised name: "chesterfield borough council" and "chesterfield bc" both
 * give "chesterfield". Never strips a name to nothing, and keeps "city of london" whole because
 * plain "london" means Greater London, not the City.
 */
export function coreCouncilName(normalisedName: string): string {
  let name = normalisedName;
  for (let changed = true; changed;) {
    changed = false;
    // Suffixes first, so that "city of london corporation" still meets the "city of london" guard.
    for (const suffix of SUFFIXES) {
      if (name.endsWith(suffix) && name.length > suffix.length) {
        name = name.slice(0, -suffix.length);
        changed = true;
      }
    }
    for (const prefix of PREFIXES) {
      const rest = name.slice(prefix.length);
      if (
        name.startsWith(prefix) &&
        rest !== "" &&
        !(prefix === "city of " && rest === "london")
      ) {
        name = rest;
        changed = true;
      }
    }
  }
  return name;
}

import type { GovernanceMember } from "./sheet-reading.js";

/** One group of councils in a membership cell, with the seats each holds when the cell says. */
export interface SeatGroup {
  /** The councils as written ("Cheshire East", "CBC & BDC"): read with splitCouncilList. */
  councils: string;
  /** Seats each of them holds; null when not given. */
  seats: number | null;
}

/**
 * What a governance body's membership cell says:
 * - "listed": councils named, each group with its seats ("Cheshire East: 3 elected members;
 *   Cheshire West and Chester: 3", "Cheshire East (3), CWaC (3)", "3 from Bolsover", "A & B (2 each)");
 * - "each": the same number from every council of the partnership ("3 members from each council");
 * - "unstated": every council of the partnership sits, the numbers not given ("equal numbers").
 */
export type SeatsReading =
  | { kind: "listed"; groups: SeatGroup[] }
  | { kind: "each"; seats: number }
  | { kind: "unstated"; text: string };

const NUMBER_WORDS = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
];
const N = `(\\d{1,3}|${NUMBER_WORDS.join("|")})`;
const WHO =
  "(?:(?:elected|voting|non-voting|executive)\\s+)?(?:seats?|members?|councillors?|cllrs?|representatives?|reps?|places?|nominees?)";

const EACH = new RegExp(
  `^${N}\\s*(?:${WHO})?\\s*(?:(?:from|for|of|on)?\\s*(?:each|every)|per)\\s+(?:partner\\s+|constituent\\s+|participating\\s+)?(?:council|authority|authorities|partner|member)s?\\b|^${N}\\s+(?:${WHO}\\s+)?each\\b`,
  "i",
);
const UNSTATED =
  /\b(?:equal\s+(?:numbers?|representation|membership|seats?)|same\s+number|equally\s+represented)\b/i;
/** "Cheshire East: 3 elected members", "Cheshire East - 3". */
const NAME_COLON_COUNT = new RegExp(
  `^(.+?)\\s*[:\\-–=]\\s*${N}\\b(?:\\s*(?:${WHO}|each))*\\s*\\.?$`,
  "i",
);
/** "Cheshire East (3)", "Cheshire East (3 members)", "CBC & BDC (2 each)". */
const NAME_BRACKET_COUNT = new RegExp(
  `^(.+?)\\s*\\(\\s*${N}\\b(?:\\s*(?:${WHO}|each))*\\s*\\)\\s*\\.?$`,
  "i",
);
/** "Cheshire East 3", "Cheshire East 3 members". */
const NAME_COUNT = new RegExp(
  `^(.+?)\\s+${N}(?:\\s*(?:${WHO}|each))*\\s*\\.?$`,
  "i",
);
/** "3 from Cheshire East", "3 members for Bolsover", "3 Cheshire East". */
const COUNT_NAME = new RegExp(
  `^${N}\\s*(?:${WHO})?\\s*(?:from|for|of|:)?\\s+(.+)$`,
  "i",
);
const HAS_COUNT = new RegExp(`(?:^|[\\s(:\\-–=])${N}\\b`, "i");

function count(text: string): number {
  const word = NUMBER_WORDS.indexOf(text.toLowerCase());
  return word >= 0 ? word : Number(text);
}

/** A group's councils and seats, or its whole text with no seats. */
function readGroup(text: string): SeatGroup {
  const trimmed = text.trim();
  for (const pattern of [NAME_COLON_COUNT, NAME_BRACKET_COUNT, NAME_COUNT]) {
    const m = pattern.exec(trimmed);
    if (m) return { councils: m[1]!.trim(), seats: count(m[2]!) };
  }
  const leading = COUNT_NAME.exec(trimmed);
  if (leading)
    return { councils: leading[2]!.trim(), seats: count(leading[1]!) };
  return { councils: trimmed, seats: null };
}

/**
 * Reads a membership cell (see SeatsReading). Groups are separated by ";" or line breaks, and by
 * a comma that ends a group with a count ("Cheshire East (3), CWaC (3)"); a comma inside a group
 * separates councils that share its count ("Cheshire East, Cheshire West and Chester (3 each)").
 */
export function readSeats(text: string): SeatsReading {
  const whole = text.trim();
  const each = EACH.exec(whole);
  if (each) return { kind: "each", seats: count(each[1] ?? each[2]!) };
  if (UNSTATED.test(whole)) return { kind: "unstated", text: whole };
  const groups: SeatGroup[] = [];
  for (const line of whole.split(/\s*[;\n\r]+\s*/)) {
    let pending: string[] = [];
    for (const piece of line.split(/\s*,\s*/)) {
      if (piece === "") continue;
      pending.push(piece);
      if (HAS_COUNT.test(piece)) {
        groups.push(readGroup(pending.join(", ")));
        pending = [];
      }
    }
    if (pending.length) groups.push(readGroup(pending.join(", ")));
  }
  return { kind: "listed", groups };
}

/** The seats a cell under a council's column says: a count, "yes"/"✓" (a seat, count unknown), or none. */
export function seatCellCount(
  value: string | number | boolean | null,
): { seats: number | null } | null {
  if (value === null || value === false) return null;
  if (typeof value === "number")
    return Number.isInteger(value) && value > 0 ? { seats: value } : null;
  if (value === true) return { seats: null };
  const text = value.trim().toLowerCase();
  if (text === "" || text === "0" || /^(?:no|n|-|–|none|nil)$/.test(text))
    return null;
  const m = new RegExp(`^${N}\\b`, "i").exec(text);
  if (m) return count(m[1]!) > 0 ? { seats: count(m[1]!) } : null;
  if (/^(?:yes|y|x|✓|✔|member|seat)$/.test(text)) return { seats: null };
  return null;
}

/** A council's seats on a body counted from its member rows, and who sits, as written. */
export interface CountedSeats {
  gss: string;
  seats: number;
  /** The posts joined ("Leader (Chair) and Chief Executive"); null when no row names one. */
  role: string | null;
  /** The council cell of its first member row. */
  cell: string;
}

/** A member's post with its role on the body: "Leader (Chair)", "Leader", "Chair". */
function memberPost(member: GovernanceMember): string | null {
  if (member.member && member.role) return `${member.member} (${member.role})`;
  return member.member ?? member.role;
}

/** "A", "A and B", "A, B and C". */
function joinedInWords(texts: readonly string[]): string | null {
  if (texts.length === 0) return null;
  if (texts.length === 1) return texts[0]!;
  return `${texts.slice(0, -1).join(", ")} and ${texts.at(-1)!}`;
}

/**
 * The seats each council holds on a body, counted from its member rows (one seat a row), with the
 * members' posts as the seats' role. `councilsOf` resolves a row's council cell (reporting what it
 * cannot resolve) to GSS codes; a row without a council, or whose council does not resolve, is no
 * council's seat.
 */
export function countMemberSeats(
  members: readonly GovernanceMember[],
  councilsOf: (member: GovernanceMember) => readonly string[],
): CountedSeats[] {
  const byCouncil = new Map<
    string,
    { seats: number; posts: string[]; cell: string }
  >();
  for (const member of members) {
    if (member.council === null) continue;
    for (const gss of councilsOf(member)) {
      let seat = byCouncil.get(gss);
      if (!seat)
        byCouncil.set(
          gss,
          (seat = { seats: 0, posts: [], cell: member.council.cell }),
        );
      seat.seats++;
      const post = memberPost(member);
      if (post) seat.posts.push(post);
    }
  }
  return [...byCouncil].map(([gss, seat]) => ({
    gss,
    seats: seat.seats,
    role: joinedInWords(seat.posts),
    cell: seat.cell,
  }));
}

/** "Chair", "Joint chair", "Co-chair", "Chairman": not "Vice-chair" or "Deputy chair". */
const CHAIR_ROLE = /^(?:joint\s+|co-?\s*)?chair(?:man|woman|person)?\b/i;

/**
 * Who chairs a body, from its member rows whose role is Chair: "Leader, Chesterfield Borough
 * Council" (post and council as written), joint chairs joined ("… and …"); null when none is.
 */
export function membersChair(
  members: readonly GovernanceMember[],
): string | null {
  return joinedInWords(
    members
      .filter((m) => m.role !== null && CHAIR_ROLE.test(m.role))
      .map((m) =>
        [m.member, m.council?.text].filter((t) => t !== null).join(", "),
      )
      .filter((text) => text !== ""),
  );
}

import { memoise } from "./memoise.js";
import { nameKey as plainNameKey } from "../schema/partnership-name.js";

/** A name with its footnote mark taken off: "Youth Offending Team*" → name and mark "*". */
export interface MarkedName {
  name: string;
  mark: string | null;
}

// A bracketed number is a mark only after a space: "Team (1)" is marked, "@SUM(1)" or "Phase(2)"
// is a name that ends in brackets.
const MARK = /(?:\s*(\*+|[†‡§¶]+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)|\s+(\(\d{1,2}\)|\[\d{1,2}\]))$/;

/** Splits a trailing footnote mark ("*", "**", "†", "¹", " (1)", " [2]") off a name. */
export function splitFootnoteMark(text: string): MarkedName {
  const trimmed = text.trim().replace(/\s+/g, " ");
  const match = MARK.exec(trimmed);
  if (!match || match.index === 0) return { name: trimmed, mark: null };
  return {
    name: trimmed.slice(0, match.index).trim(),
    mark: (match[1] ?? match[2])!,
  };
}

/** If a line under a table is a footnote ("* Hosted by ...", "(1) Subject to ..."), its mark and text. */
export function readFootnote(
  text: string,
): { mark: string; text: string } | null {
  const match =
    /^(\*+|[†‡§¶]+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\(\d{1,2}\)|\[\d{1,2}\])\s*(.+)$/.exec(
      text.trim(),
    );
  return match ? { mark: match[1]!, text: match[2]!.trim() } : null;
}

// A line under a table that says something about it: a labelled note ("Note: ...", "Source: finance
// team", "NB figures exclude VAT"), or a sentence about the figures ("Figures are provisional",
// "All amounts subject to audit"). A service or body is named by nouns, so a verb of this short list
// as a word of three or more says the line is a sentence, not a name.
const NOTE_LABEL = [
  /^(?:notes?|nb|n\.b\.|please note)(?:\s*[:\-–—.]|\s+\S|$)/i,
  /^(?:sources?|key|comments?|caveats?|disclaimer|(?:prepared|compiled|produced|completed|updated) by|(?:last )?updated|data as at|figures as at)\s*[:\-–—]/i,
];
const NOTE_ITEM = /^(?:\d{1,2}[.)]|[a-z][.)]|[-•–])\s+\S/i;
const NOTE_WORDS =
  /\b(?:is|are|was|were|be|been|will|may|might|should|must|has|have|had|does|do|include|includes|included|exclude|excludes|excluded|subject to|based on|as at|shown|provisional|unaudited|rounded)\b/i;

/**
 * Whether a line written alone in a row under the table (in the first column, nothing else filled)
 * is a note about the table rather than a record: a labelled note or a sentence (see NOTE_LABEL).
 * A name alone ("Internal Audit") is not one, so a record without its figures is still reported.
 * `afterNote`: the line follows a note, where a numbered or bulleted line ("2. Chesterfield joined
 * in 2009") continues the notes.
 */
export function isTableNote(text: string, afterNote = false): boolean {
  const line = text.trim().replace(/\s+/g, " ");
  if (NOTE_LABEL.some((label) => label.test(line))) return true;
  if (afterNote && NOTE_ITEM.test(line)) return true;
  return line.split(" ").length >= 3 && NOTE_WORDS.test(line);
}

/**
 * The key names are matched by (schema/partnership-name.ts), remembered: each new service's name is
 * compared with every name of its partnership.
 */
export const nameKey = memoise(plainNameKey, 50_000);

function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > cap) return cap + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/** A name's forms that isSimilarName compares, computed once per name. */
interface NameForms {
  name: string;
  key: string;
  /** The key with its numbers as "#": numbered siblings share it. */
  numbered: string;
  /** The key without its "service"/"shared" words. */
  stripped: string;
}

function nameForms(name: string): NameForms {
  const key = nameKey(name);
  return {
    name,
    key,
    numbered: key.replace(/\d+/g, "#"),
    stripped: key
      .replace(/\b(?:shared|services?|the|joint|team|unit)\b/g, " ")
      .replace(/\s+/g, " ")
      .trim(),
  };
}

function similarForms(x: NameForms, y: NameForms): boolean {
  if (x.key === y.key) return true;
  // "Phase 1" and "Phase 2", "Service 00001" and "Service 00002" are numbered siblings, not typos.
  if (x.numbered === y.numbered) return false;
  const cap = Math.max(1, Math.floor(Math.min(x.key.length, y.key.length) / 8));
  if (editDistance(x.key, y.key, cap) <= cap) return true;
  return x.stripped.length >= 4 && x.stripped === y.stripped;
}

/**
 * Whether a new name is close enough to an existing one to be a likely typo or variant: a few
 * letters apart ("Shared Back Ofice"), a plural ("Internal Audits"), or one inside the other with
 * a "service"/"shared" word around it.
 */
export function isSimilarName(a: string, b: string): boolean {
  return similarForms(nameForms(a), nameForms(b));
}

/**
 * Names a new one is compared with (isSimilarName), each name's forms computed once when it is
 * added: a tracker creating its partnership's thousands of services compares each new one with
 * every one before it.
 */
export class SimilarNames {
  private readonly forms: NameForms[] = [];

  constructor(names: Iterable<string> = []) {
    for (const name of names) this.add(name);
  }

  add(name: string): void {
    this.forms.push(nameForms(name));
  }

  /** The first of the names close to this one (isSimilarName), if any. */
  closeTo(name: string): string | undefined {
    const forms = nameForms(name);
    return this.forms.find((other) => similarForms(forms, other))?.name;
  }
}

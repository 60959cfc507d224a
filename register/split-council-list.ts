import type { CouncilRecord } from "./council-record.js";

/** What a resolver says of one piece of a list: the shape of CouncilResolution and of a lookup's reading. */
export type SegmentResolution =
  | { status: "resolved"; council: CouncilRecord }
  | { status: "ambiguous"; candidates: CouncilRecord[] }
  | { status: "unknown" };

/** One piece of a list as written, with what it names. */
export interface ListSegment<R extends SegmentResolution> {
  text: string;
  reading: R;
}

/**
 * How a cell listing councils splits: into segments (each resolved, ambiguous or unknown), or,
 * when two segmentations are equally good and name different councils, ambiguous with each.
 */
export type CouncilListSplit<R extends SegmentResolution> =
  | { status: "split"; segments: ListSegment<R>[] }
  | {
      status: "ambiguous";
      text: string;
      splits: { text: string; council: CouncilRecord }[][];
    };

/** What the caller knows that makes one segmentation likelier than another. */
export interface SplitPreference {
  /** GSS codes of the councils the partnership or the workbook names. */
  councils?: readonly string[];
  /** ISO date the list is read as of: councils existing then are likelier. */
  date?: string;
}

/**
 * Where a list may split: commas, semicolons, slashes, bars, "+", "&", the word "and" and line
 * breaks, with any spacing. Runs of them (", and") are one separator.
 */
const SEPARATOR = /(\s*(?:[,;/|+&\n\r]|\band\b)\s*)/i;
const TRAILING_PLURAL = /\s+(?:councils|authorities)\.?\s*$/i;

/** No council's name spans more than this many separator-delimited pieces ("Kingston upon Hull, City of"). */
const MAX_SEGMENT_PIECES = 4;

/** How many equally good segmentations are kept, to report them as candidates. */
const MAX_TIES = 3;

/**
 * A segmentation's cost, compared component by component (lower is better):
 * 0. pieces in segments naming no council (a split that explains more of the text wins);
 * 1. pieces in segments naming several councils;
 * 2. resolved segments outside the context's councils (when there is a context);
 * 3. resolved segments that did not exist on the date (when there is a date);
 * 4. segments (a name that itself holds "and" beats splitting it: "Brighton and Hove").
 */
type Score = [number, number, number, number, number];

interface Path<R extends SegmentResolution> {
  score: Score;
  segments: ListSegment<R>[];
}

function compare(a: Score, b: Score): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function existsOn(council: CouncilRecord, date: string): boolean {
  return (
    (council.startDate === null || council.startDate <= date) &&
    (council.endDate === null || council.endDate >= date)
  );
}

/** A key that tells segmentations apart by what they name. */
function pathKey(segments: readonly ListSegment<SegmentResolution>[]): string {
  return segments
    .map((s) =>
      s.reading.status === "resolved" ? s.reading.council.gssCode : s.text,
    )
    .join("|");
}

/**
 * Splits a cell listing councils ("A & B", "A, B and C", "A / B", "A; B", "A + B", one per line,
 * "Council" after each or "Councils" after the last) by trying every segmentation of its
 * separators against the register, never by a fixed separator order, so that names holding "and"
 * or "&" ("Cheshire West and Chester", "Redcar & Cleveland", "Bristol, City of") stay whole. A
 * dynamic programme over the separator positions picks the segmentation of least Score (see
 * there); `resolve` is called once per candidate segment (a few per separator). Two segmentations
 * of equal least score that resolve every segment but name different councils are answered
 * "ambiguous" with both; ties among segmentations that leave something unresolved keep the first
 * (fewest segments, then earliest), whose unknown or ambiguous segments the caller reports.
 */
export function splitCouncilList<R extends SegmentResolution>(
  text: string,
  resolve: (segment: string) => R,
  prefer: SplitPreference = {},
): CouncilListSplit<R> {
  const whole = text.trim().replace(TRAILING_PLURAL, "");
  if (whole === "") return { status: "split", segments: [] };
  // Pieces are the text between separators; a separator with nothing before it joins the previous one.
  const parts = whole.split(SEPARATOR);
  const pieces: { start: number; end: number }[] = [];
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i % 2 === 0 && part.trim() !== "") {
      const start = offset + (part.length - part.trimStart().length);
      pieces.push({ start, end: offset + part.trimEnd().length });
    }
    offset += part.length;
  }
  if (pieces.length === 0) return { status: "split", segments: [] };
  const context = new Set(prefer.councils ?? []);
  const segmentScore = (reading: R, size: number): Score => {
    if (reading.status === "unknown") return [size, 0, 0, 0, 1];
    if (reading.status === "ambiguous") return [0, size, 0, 0, 1];
    const council = reading.council;
    return [
      0,
      0,
      context.size > 0 && !context.has(council.gssCode) ? 1 : 0,
      prefer.date && !existsOn(council, prefer.date) ? 1 : 0,
      1,
    ];
  };
  const best: Path<R>[][] = [[{ score: [0, 0, 0, 0, 0], segments: [] }]];
  for (let end = 1; end <= pieces.length; end++) {
    let kept: Path<R>[] = [];
    for (
      let start = Math.max(0, end - MAX_SEGMENT_PIECES);
      start < end;
      start++
    ) {
      const segmentText = whole.slice(
        pieces[start]!.start,
        pieces[end - 1]!.end,
      );
      const reading = resolve(segmentText);
      const add = segmentScore(reading, end - start);
      for (const path of best[start]!) {
        const score = path.score.map((v, i) => v + add[i]!) as Score;
        const order = kept.length === 0 ? -1 : compare(score, kept[0]!.score);
        if (order > 0) continue;
        const candidate = {
          score,
          segments: [...path.segments, { text: segmentText, reading }],
        };
        if (order < 0) kept = [candidate];
        else if (
          kept.length < MAX_TIES &&
          !kept.some((k) => pathKey(k.segments) === pathKey(candidate.segments))
        )
          kept.push(candidate);
      }
    }
    best.push(kept);
  }
  const winners = best[pieces.length]!;
  const first = winners[0]!;
  const allResolved = first.score[0] === 0 && first.score[1] === 0;
  if (winners.length > 1 && allResolved)
    return {
      status: "ambiguous",
      text: whole,
      splits: winners.map((w) =>
        w.segments.map((s) => ({
          text: s.text,
          council: (s.reading as { council: CouncilRecord }).council,
        })),
      ),
    };
  return { status: "split", segments: first.segments };
}

import { SavingsMeasure } from "../schema/savings-measure.js";

const WORDS: [RegExp, SavingsMeasure][] = [
  [
    /\b(?:target|targets|budget|business case|planned|plan)\b/,
    SavingsMeasure.TARGET,
  ],
  [
    /\b(?:estimate|estimated|estimates|expected|anticipated)\b/,
    SavingsMeasure.ESTIMATE,
  ],
  [
    /\b(?:forecast|forecasts|projected|projection|predicted)\b/,
    SavingsMeasure.FORECAST,
  ],
  [
    /\b(?:achieved|actual|actuals|delivered|outturn|realised|realized)\b/,
    SavingsMeasure.ACHIEVED,
  ],
];

/**
 * Reads a measure as trackers word it ("Target", "Forecast", "Actual", "Achieved to date",
 * "Non-cashable estimate"), with whether it is cashable when the words say. Null when no measure word
 * is there.
 */
export function readMeasure(
  text: string,
): { measure: SavingsMeasure; cashable: boolean | null } | null {
  const t = text.toLowerCase().replace(/[^a-z]+/g, " ");
  const found = WORDS.find(([pattern]) => pattern.test(t));
  if (!found) return null;
  return { measure: found[1], cashable: readCashableWords(t) };
}

/** "cashable" → true, "non cashable"/"non-cash" → false, neither → null. */
export function readCashableWords(text: string): boolean | null {
  const t = text.toLowerCase().replace(/[^a-z]+/g, " ");
  if (/\bnon ?cash(?:able)?\b/.test(t)) return false;
  if (/\bcash(?:able)?\b/.test(t)) return true;
  return null;
}

/** Reads a cashable column: "Yes"/"Y"/"Cashable"/"Cash" → true, "No"/"N"/"Non-cashable" → false. */
export function readCashableCell(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (["yes", "y", "true", "1"].includes(t)) return true;
  if (["no", "n", "false", "0"].includes(t)) return false;
  return readCashableWords(t);
}

/** The words `--measure` (and a profile's `measure`) takes, as help and refusals show them. */
export const MEASURE_OPTION_WORDS = "target|estimate|forecast|achieved";

/** Reads `--measure target|estimate|forecast|achieved` (any case); null for anything else. */
export function parseMeasureOption(text: string): SavingsMeasure | null {
  const upper = text.trim().toUpperCase();
  return (Object.values(SavingsMeasure) as string[]).includes(upper)
    ? (upper as SavingsMeasure)
    : null;
}

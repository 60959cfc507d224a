import { MAX_AMOUNT_PENCE, MAX_AMOUNT_TEXT } from "./import-limits.js";
import {
  FormulaWithoutValue,
  isFormulaError,
  type CellValue,
} from "./cell-value.js";

/**
 * What an amount cell holds: exact pence; deliberately no figure ("-", "n/a", "nil", blank); a
 * figure still to come ("tbc", "to follow"), reported as a warning; a formula saved without its
 * result; or unreadable text.
 */
export type AmountReading =
  | { kind: "amount"; pence: bigint }
  | { kind: "none" }
  | { kind: "pending"; text: string }
  | { kind: "uncalculated"; formula: string }
  | { kind: "bad"; reason: string };

/** Words for a figure not known yet: no figure now, but not one to drop silently. */
const TO_FOLLOW = new Set([
  "tbc",
  "tba",
  "tbd",
  "tbc.",
  "to follow",
  "to be confirmed",
  "to be advised",
  "to be agreed",
  "to be determined",
  "awaited",
  "pending",
  "not yet known",
  "not known yet",
  "unknown",
]);

const NO_FIGURE = new Set([
  "",
  "-",
  "–",
  "—",
  "n/a",
  "na",
  "n.a.",
  "nil",
  "none",
]);
const SUFFIX_SCALE: Record<string, bigint> = {
  k: 1_000n,
  thousand: 1_000n,
  m: 1_000_000n,
  mn: 1_000_000n,
  million: 1_000_000n,
  bn: 1_000_000_000n,
  billion: 1_000_000_000n,
};

/**
 * The scale a header or title sets for the plain numbers under it: "£000", "£'000", "£k" or
 * "thousands" mean thousands, "£m" or "millions" millions; 1 otherwise.
 */
export function amountScale(text: string): bigint {
  const t = text.toLowerCase();
  if (/£\s*'?000|\(\s*'?000s?\s*\)|£\s*k\b|£\s*thousands?|in thousands/.test(t))
    return 1_000n;
  if (/£\s*m\b|£\s*millions?|\(\s*£?m\s*\)|in millions/.test(t))
    return 1_000_000n;
  return 1n;
}

/**
 * Exact pence from a decimal string ("357000", "0.5", "1.5e-7"), multiplied by `scale`. Returns null
 * when a fraction of a penny would be lost, unless `round` (numbers from Excel cells, whose binary
 * form can carry noise such as 0.30000000000000004), which rounds half away from zero.
 */
export function decimalToPence(
  text: string,
  scale: bigint,
  round: boolean,
): bigint | null {
  const match = /^(-)?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) return null;
  const negative = match[1] === "-";
  const fraction = match[3] ?? "";
  let mantissa = BigInt((match[2] ?? "") + fraction || "0");
  const exponent = Number(match[4] ?? 0) - fraction.length + 2; // in pence
  mantissa *= scale;
  let pence: bigint;
  if (exponent >= 0) pence = mantissa * 10n ** BigInt(exponent);
  else {
    const divisor = 10n ** BigInt(-exponent);
    pence = mantissa / divisor;
    const remainder = mantissa % divisor;
    if (remainder !== 0n) {
      if (!round) return null;
      if (remainder * 2n >= divisor) pence += 1n;
    }
  }
  return negative ? -pence : pence;
}

/** Text longer than this is no amount anyone writes ("£10,000,000,000.00 per annum" is 28 characters). */
const MAX_AMOUNT_TEXT_LENGTH = 64;

/** Pence beyond the bound are refused, never stored (and never wrapped into a 64-bit column). */
function bounded(pence: bigint): AmountReading {
  return pence > MAX_AMOUNT_PENCE || pence < -MAX_AMOUNT_PENCE
    ? {
        kind: "bad",
        reason: `it is more than ${MAX_AMOUNT_TEXT}, the most one figure may be`,
      }
    : { kind: "amount", pence };
}

/**
 * Reads an amount as councils write it: a number, "£357,000", "£30k", "£0.5M", "246" under a "£000"
 * header (scale 1000), accounting negatives "(25,000)", "-£25", and "-", "n/a", "nil" or blank for
 * no figure; "tbc", "tba", "to follow" for a figure to come; a formula error ("#DIV/0!") is bad. Words such as "around", "approx." and "per annum" around the figure are allowed.
 * Strict: digits, thousands separators every three digits, one decimal point, a known unit; nothing
 * that JavaScript's number parsing would also accept ("0x1F", "1_000", "1e5", "Infinity"). Exact to
 * the penny (never a binary float) and at most MAX_AMOUNT_PENCE either way. A number from a cell is
 * rounded to the penny (its binary form can carry noise such as 0.30000000000000004).
 */
export function readAmount(
  value: CellValue,
  scale: bigint = 1n,
): AmountReading {
  if (value === null) return { kind: "none" };
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      return { kind: "bad", reason: "it is not a finite number" };
    // Checked as a float first, so that 1e308 never becomes a 310-digit BigInt.
    if (Math.abs(value) * Number(scale) * 100 > Number(MAX_AMOUNT_PENCE))
      return bounded(MAX_AMOUNT_PENCE + 1n);
    // The usual cell, pounds with at most two decimals: below £10bn every such amount is its own
    // double, so value === r / 100 means the decimal route below would give r pence too.
    const r = Math.round(value * 100);
    if (r / 100 === value) {
      const scaled = r * Number(scale);
      if (Number.isSafeInteger(scaled)) return bounded(BigInt(scaled));
    }
    const pence = decimalToPence(String(value), scale, true);
    return pence === null
      ? { kind: "bad", reason: "it is not a number" }
      : bounded(pence);
  }
  if (value instanceof FormulaWithoutValue)
    return { kind: "uncalculated", formula: value.formula };
  if (typeof value !== "string")
    return {
      kind: "bad",
      reason: value instanceof Date ? "it is a date" : "it is not an amount",
    };
  if (isFormulaError(value))
    return {
      kind: "bad",
      reason: `its formula gives the error ${value.trim().toUpperCase()}: correct the formula or the cells it uses`,
    };
  if (value.length > MAX_AMOUNT_TEXT_LENGTH)
    return {
      kind: "bad",
      reason: `it is ${value.length} characters long, too long to be an amount`,
    };
  let text = value.trim().toLowerCase();
  if (NO_FIGURE.has(text)) return { kind: "none" };
  if (TO_FOLLOW.has(text.replace(/\s+/g, " ")))
    return { kind: "pending", text: value.trim() };
  text = text
    .replace(
      /^(?:around|approx\.?|approximately|about|circa|c\.|est\.?|estimated)\s+/,
      "",
    )
    .replace(/\s*(?:per annum|p\.?a\.?|a year|per year|pa)$/, "")
    .replace(/^gbp\s*|\s*gbp$/, "")
    .trim();
  let negative = false;
  const accounting = /^\((.*)\)$/.exec(text);
  if (accounting) {
    negative = true;
    text = accounting[1]!.trim();
  }
  // One minus sign, before or after the pound sign, and not inside brackets that already mean minus.
  const signed = /^([-−])?\s*(?:£\s*)?([-−])?\s*/.exec(text)!;
  if ((signed[1] && signed[2]) || (accounting && (signed[1] || signed[2])))
    return { kind: "bad", reason: "it has more than one minus sign" };
  if (signed[1] || signed[2]) negative = true;
  text = text.slice(signed[0].length);
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?\s*([a-z]+)?$/.exec(text);
  if (!match || (match[1] === undefined && match[2] === undefined))
    return { kind: "bad", reason: "it is not an amount of money" };
  const suffix = match[3];
  let factor = scale;
  if (suffix !== undefined) {
    const suffixScale = SUFFIX_SCALE[suffix];
    if (suffixScale === undefined)
      return {
        kind: "bad",
        reason: `"${suffix}" is not a unit such as k or M`,
      };
    factor = suffixScale;
  }
  const digits = `${(match[1] ?? "0").replace(/,/g, "")}${match[2] ?? ""}`;
  const pence = decimalToPence(digits, factor, false);
  if (pence === null)
    return { kind: "bad", reason: "it has a fraction of a penny" };
  return bounded(negative ? -pence : pence);
}

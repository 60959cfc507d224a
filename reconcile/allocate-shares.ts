import { ShareBasis } from "./share-basis.js";

/** A member to give a share to: its agreed percentage as stored (numeric(7,4) text), or null. */
export interface SharePart {
  /** The caller's key for the member (the council id, say). */
  key: string;
  /** Breaks ties between equal remainders: the lower GSS code gets the spare penny first. */
  gssCode: string;
  /** Agreed cost share, e.g. "33.3333"; null where none is agreed. */
  percent: string | null;
}

/** One member's share of a total. */
export interface ShareAllocation {
  key: string;
  gssCode: string;
  /** The share in pence; the shares of one allocation add up to the total exactly. */
  pence: bigint;
  basis: ShareBasis;
  /** The percentage of the total actually applied, to four decimals (after any scaling). */
  appliedPercent: string;
}

/** The shares of a total, plus what a finance officer should know about how they were reached. */
export interface SharesOfTotal {
  shares: ShareAllocation[];
  warnings: string[];
}

/** Percentages are held as integers of 1/10,000 of a percent, so 33.3333% is exactly 333,333. */
const UNITS_PER_PERCENT = 10_000n;
const HUNDRED_PERCENT = 100n * UNITS_PER_PERCENT;
const PERCENT = /^\s*(\d{1,3})(?:\.(\d{1,4}))?\s*$/;

/** Reads a stored percentage exactly (no float): "33.3333" → 333333n; null when it is not one. */
export function percentUnits(percent: string): bigint | null {
  const match = PERCENT.exec(percent);
  if (!match) return null;
  return (
    BigInt(match[1]!) * UNITS_PER_PERCENT +
    BigInt((match[2] ?? "").padEnd(4, "0"))
  );
}

/** Formats 1/10,000ths of a percent as "33.3333". */
export function formatPercentUnits(units: bigint): string {
  return `${units / UNITS_PER_PERCENT}.${(units % UNITS_PER_PERCENT).toString().padStart(4, "0")}`;
}

/**
 * Shares `totalPence` between members, so that the shares add up to the total exactly.
 *
 * Weights: where every member has an agreed percentage, those percentages (scaled to their sum, so
 * 3 × 33.3333% shares exactly in thirds); where none has, equal weights; where only some have, the
 * others split what the agreed ones leave of 100% equally.
 *
 * The rounding rule (largest remainder on pence): each member first gets its exact share
 * (total × weight ÷ sum of weights) rounded down to the penny; the pence left over, always fewer
 * than the members, go one each to the members with the largest remainders, equal remainders going
 * to the lower GSS code first. No share is more than a penny from its exact value. A negative total
 * is shared as its absolute amount, then negated, so the rule is symmetric.
 */
export function allocateShares(
  totalPence: bigint,
  parts: readonly SharePart[],
): SharesOfTotal {
  const warnings: string[] = [];
  if (parts.length === 0) return { shares: [], warnings };
  const agreed = parts.map((part) => {
    if (part.percent === null || part.percent === undefined) return null;
    const units = percentUnits(part.percent);
    if (units === null)
      warnings.push(
        `The agreed cost share "${part.percent}" of ${part.gssCode} is not a percentage; it is treated as not agreed.`,
      );
    return units;
  });
  const withoutShare = agreed.filter((units) => units === null).length;
  const agreedSum = agreed.reduce<bigint>(
    (sum, units) => sum + (units ?? 0n),
    0n,
  );
  let weights: bigint[];
  if (withoutShare === 0) {
    weights = agreed.map((units) => units!);
    if (agreedSum !== HUNDRED_PERCENT)
      warnings.push(
        `The agreed cost shares add up to ${formatPercentUnits(agreedSum)}%, not 100%: each member's share is scaled to its part of that sum.`,
      );
  } else if (withoutShare === parts.length) {
    weights = parts.map(() => 1n);
  } else {
    const left = agreedSum < HUNDRED_PERCENT ? HUNDRED_PERCENT - agreedSum : 0n;
    if (left === 0n)
      warnings.push(
        `The agreed cost shares add up to ${formatPercentUnits(agreedSum)}%, leaving nothing for the ${withoutShare} member(s) without one.`,
      );
    // Multiplying agreed weights by the number of members without a share keeps every weight whole.
    weights = agreed.map((units) =>
      units === null ? left : units * BigInt(withoutShare),
    );
  }
  let weightSum = weights.reduce((sum, weight) => sum + weight, 0n);
  const equalFallback = weightSum === 0n;
  if (equalFallback) {
    warnings.push(
      "The agreed cost shares add up to 0%: the total is shared equally instead.",
    );
    weights = parts.map(() => 1n);
    weightSum = BigInt(parts.length);
  }

  const negative = totalPence < 0n;
  const total = negative ? -totalPence : totalPence;
  const exact = weights.map((weight) => ({
    floor: (total * weight) / weightSum,
    remainder: (total * weight) % weightSum,
  }));
  let spare = total - exact.reduce((sum, share) => sum + share.floor, 0n);
  const order = parts
    .map((part, index) => ({ index, gssCode: part.gssCode }))
    .sort((a, b) => {
      const byRemainder = exact[b.index]!.remainder - exact[a.index]!.remainder;
      if (byRemainder !== 0n) return byRemainder > 0n ? 1 : -1;
      return a.gssCode < b.gssCode
        ? -1
        : a.gssCode > b.gssCode
          ? 1
          : a.index - b.index;
    });
  const pence = exact.map((share) => share.floor);
  for (const { index } of order) {
    if (spare === 0n) break;
    pence[index] = pence[index]! + 1n;
    spare -= 1n;
  }
  const shares = parts.map((part, index) => ({
    key: part.key,
    gssCode: part.gssCode,
    pence: negative ? -pence[index]! : pence[index]!,
    basis:
      agreed[index] === null || equalFallback
        ? ShareBasis.EQUAL
        : ShareBasis.AGREED,
    appliedPercent: formatPercentUnits(
      (weights[index]! * HUNDRED_PERCENT * 2n + weightSum) / (weightSum * 2n),
    ),
  }));
  return { shares, warnings };
}

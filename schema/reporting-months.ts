/** The month `n` months after `period` (YYYY-MM; `n` may be negative). */
export function shiftMonth(period: string, n: number): string {
  const [year, month] = period.split("-").map(Number) as [number, number];
  const index = year * 12 + (month - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** Every month from `from` to `to` (YYYY-MM), both included, oldest first; empty when `from` is later. */
export function reportingMonths(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = shiftMonth(m, 1)) months.push(m);
  return months;
}

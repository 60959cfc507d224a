/**
 * An exact decimal amount of pounds ("357000.00", "-25.5") as "£357,000.00" / "−£25.50". Works on the
 * digits as text: money is never turned into a floating-point number.
 */
export function formatMoney(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === "") return "—";
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) return amount;
  const [, sign, whole, fraction = ""] = match;
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const pence = (fraction + "00").slice(0, Math.max(2, fraction.length));
  const negative = sign === "-" && /[1-9]/.test(whole! + fraction);
  return `${negative ? "−" : ""}£${grouped}.${pence}`;
}

/** The sign of an exact amount: -1, 0 or 1. */
export function moneySign(amount: string | null | undefined): number {
  if (!amount || !/[1-9]/.test(amount)) return 0;
  return amount.trim().startsWith("-") ? -1 : 1;
}

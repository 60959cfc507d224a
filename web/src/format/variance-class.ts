import { moneySign } from "./format-money";

/** The cell class colouring a variance: "over" (claimed more than expected), "under", or none. */
export function varianceClass(amount: string | null | undefined): string {
  const sign = moneySign(amount);
  return sign > 0 ? "over" : sign < 0 ? "under" : "";
}

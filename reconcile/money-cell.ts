import { fromPence } from "../schema/money.js";

/** The currency number format of every amount in the workbook: pounds, pence, negatives in red. */
export const CURRENCY_FORMAT = '"£"#,##0.00;[Red]-"£"#,##0.00';

/**
 * The one place money becomes a binary float: an Excel cell can only hold an IEEE double, so the
 * exact decimal text is handed over and Excel keeps the nearest double, which shows (and reads back
 * with two decimals) as the same pence for any amount a numeric(15,2) column holds.
 */
export function moneyCellValue(pence: bigint | null): number | null {
  return pence === null ? null : Number(fromPence(pence));
}

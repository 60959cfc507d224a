import { Field, ObjectType } from "type-graphql";
import { BadInputError } from "../errors/hub-error.js";

import { fromPence } from "./pence-text.js";

export { fromPence };

const DECIMAL = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;
// The form fromPence writes (and PostgreSQL prints numeric(15,2) in): no leading zero, two
// decimals, no "-0.00". An amount already in it is its own normal form.
const NORMAL = /^(?:-(?!0\.00$))?(?:0|[1-9]\d*)\.\d\d$/;

/**
 * Parses a decimal pounds string ("1234.5", "-25.00") into integer pence. Money is never a binary
 * float anywhere in the hub: the database holds numeric(15,2), code holds bigint pence.
 */
export function toPence(pounds: string): bigint {
  const match = DECIMAL.exec(pounds.trim());
  if (!match)
    throw new BadInputError(
      `"${pounds}" is not an amount of pounds with at most two decimals.`,
    );
  const [, sign, whole, fraction = ""] = match;
  const pence = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, "0"));
  return sign ? -pence : pence;
}

/** The currency of every amount in the hub. */
export const CURRENCY = "GBP";

/** An exact amount of money: a decimal string that never loses a penny, and its currency. */
@ObjectType({
  description: "An exact amount of money: never a floating-point number.",
})
export class Money {
  @Field(() => String, {
    description:
      'Exact decimal amount in pounds with two decimals, e.g. "357000.00" or "-25.50".',
  })
  amount: string;

  @Field(() => String, { description: 'ISO 4217 currency code; always "GBP".' })
  currency: string = CURRENCY;

  constructor(amount: string) {
    // Amounts read from the database are in normal form already: parsing them into pence and
    // printing them again (a match, two BigInts and a string per amount) gives the same text.
    this.amount = NORMAL.test(amount) ? amount : fromPence(toPence(amount));
  }

  /** Money from integer pence. */
  static fromPence(pence: bigint): Money {
    return new Money(fromPence(pence));
  }
}

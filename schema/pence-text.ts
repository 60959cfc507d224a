// Its own module, free of GraphQL and ORM imports, so that the workbook-reading worker can use it.

/** Formats integer pence as a decimal pounds string with two decimals ("-25.00"). */
export function fromPence(pence: bigint): string {
  const negative = pence < 0n;
  const abs = negative ? -pence : pence;
  return `${negative ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

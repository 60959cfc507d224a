import { BadInputError } from "../../errors/hub-error.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";

/**
 * Where a savings figure sits in the savings order: service, financial year, measure, cashable,
 * council (0 for the partnership's total), then source (the reporting council, 0 for the
 * partnership: see savings-figure-key.ts). The order is the one the savings queries sort by, so a
 * cursor is a keyset position: a deep page costs what the first page costs.
 */
export type SavingsKey = [
  serviceId: number,
  financialYear: number,
  measure: SavingsMeasure,
  cashable: boolean,
  councilKey: number,
  reportedByKey: number,
];

const PREFIX = "savings:";
const MEASURES = new Set<string>(Object.values(SavingsMeasure));

/** The opaque cursor of a savings key. */
export function encodeSavingsCursor(key: SavingsKey): string {
  // JSON.stringify(key) written out (integers, a measure's name, a boolean need no escaping): a
  // savings page writes one cursor per figure, and the text is the same.
  const [service, year, measure, cashable, council, reportedBy] = key;
  return Buffer.from(
    `${PREFIX}[${service},${year},"${measure}",${cashable},${council},${reportedBy}]`,
    "latin1",
  ).toString("base64url");
}

/** Reads a savings cursor, refusing anything the savings lists did not give out with BAD_USER_INPUT. */
export function decodeSavingsCursor(cursor: string): SavingsKey {
  const refuse = () =>
    new BadInputError(`"after" is not a cursor this list gave out.`, {
      after: cursor,
    });
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  if (!text.startsWith(PREFIX)) throw refuse();
  let value: unknown;
  try {
    value = JSON.parse(text.slice(PREFIX.length));
  } catch {
    throw refuse();
  }
  if (
    !Array.isArray(value) ||
    value.length !== 6 ||
    !Number.isSafeInteger(value[0]) ||
    !Number.isSafeInteger(value[1]) ||
    typeof value[2] !== "string" ||
    !MEASURES.has(value[2]) ||
    typeof value[3] !== "boolean" ||
    !Number.isSafeInteger(value[4]) ||
    !Number.isSafeInteger(value[5])
  )
    throw refuse();
  return value as SavingsKey;
}

/** How a sheet's partnership is decided when its rows do not all name their own. */
export type SheetPartnershipDecision<P> =
  /** `--partnership` or the title's "Partnership:" line: that partnership, created if new. */
  | { kind: "named"; name: string }
  /** Every row names its partnership: there is no sheet-level one. */
  | { kind: "rows" }
  /** The one partnership whose members include every council the sheet lists. */
  | { kind: "members"; partnership: P }
  /**
   * None of those: the workbook's title or sheet name (see partnershipFromWorkbook), which may
   * create one only when `mayCreate`; `matches` are the partnerships the councils fit, for the
   * problem when it finds none.
   */
  | { kind: "workbook"; matches: P[]; mayCreate: boolean };

/**
 * The sheet-level partnership rule, for every kind of sheet: `--partnership` (or the profile's),
 * else the title's "Partnership:" line; else none when every row names its own; else the one
 * partnership whose members include the councils listed; else the workbook's title or name, which
 * may create a partnership only when the councils fit none and the caller allows it (a savings
 * tracker only when none of its services exists yet).
 */
export function decideSheetPartnership<P>(input: {
  option: string | null;
  titlePartnership: string | null;
  rowsNameOne: boolean;
  listed: ReadonlySet<string>;
  findByMembers: (codes: ReadonlySet<string>) => P[];
  allowCreate: boolean;
}): SheetPartnershipDecision<P> {
  const name = input.option ?? input.titlePartnership;
  if (name) return { kind: "named", name };
  if (input.rowsNameOne) return { kind: "rows" };
  const matches = input.findByMembers(input.listed);
  if (matches.length === 1)
    return { kind: "members", partnership: matches[0]! };
  return {
    kind: "workbook",
    matches,
    mayCreate: matches.length === 0 && input.allowCreate,
  };
}

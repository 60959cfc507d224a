/** Where a member's expected share comes from. */
export enum ShareBasis {
  /** The membership's agreed cost share percentage. */
  AGREED = "AGREED",
  /** No cost share is agreed: the member takes an equal part (of what agreed shares leave). */
  EQUAL = "EQUAL",
  /**
   * The host's (or the partnership's) tracker gives the member's share: it beats the agreed
   * percentage and equal shares (see schema/savings-figure-key.ts).
   */
  REPORTED = "REPORTED",
}

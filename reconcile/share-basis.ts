/** Where a member's expected share comes from. */
export enum ShareBasis {
  /** The membership's agreed cost share percentage. */
  AGREED = "AGREED",
  /** No cost share is agreed: the member takes an equal part (of what agreed shares leave). */
  EQUAL = "EQUAL",
}

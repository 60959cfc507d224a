/** What a reconciliation line found when it set a council's claim beside its expected share. */
export enum ReconciliationStatus {
  MATCHED = "MATCHED",
  OVER_CLAIMED = "OVER_CLAIMED",
  UNDER_CLAIMED = "UNDER_CLAIMED",
  MISSING_CLAIM = "MISSING_CLAIM",
  CLAIM_WITHOUT_TOTAL = "CLAIM_WITHOUT_TOTAL",
  NON_MEMBER_CLAIM = "NON_MEMBER_CLAIM",
}

/** One sentence per status, shared by the GraphQL schema, the terminal table and the workbook. */
export const statusDescriptions: Record<ReconciliationStatus, string> = {
  MATCHED: "The claim equals the expected share, within the tolerance.",
  OVER_CLAIMED:
    "The council claims more than its share of the partnership's total.",
  UNDER_CLAIMED:
    "The council claims less than its share of the partnership's total.",
  MISSING_CLAIM:
    "The partnership reports a total but the member council reports no figure.",
  CLAIM_WITHOUT_TOTAL:
    "The member council reports a figure but the partnership reports no total to share.",
  NON_MEMBER_CLAIM:
    "A council that is not a member of the partnership in that year reports a figure for its service.",
};

/** An enum value of the API ("OVER_CLAIMED", "JOINT_COMMITTEE") in words: "Over claimed", "Joint committee". */
export function enumWords(value: string | null | undefined): string {
  if (!value) return "—";
  const words = value.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const SHEET_KINDS: Record<string, string> = {
  services: "Service list",
  "savings-long": "Savings tracker, a figure per row",
  "savings-wide": "Savings tracker, years across",
  governance: "Governance list",
  funding: "Funding list",
};

/** A sheet kind of the importer ("savings-long") in words: "Savings tracker, a figure per row". */
export function sheetKindWords(kind: string | null | undefined): string {
  return kind ? (SHEET_KINDS[kind] ?? kind) : "—";
}

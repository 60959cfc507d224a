/** An enum value of the API ("OVER_CLAIMED", "JOINT_COMMITTEE") in words: "Over claimed", "Joint committee". */
export function enumWords(value: string | null | undefined): string {
  if (!value) return "—";
  const words = value.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * How a service list marks a council's part in a service, in the council's column: "Y", "Yes", a
 * tick ("✓", "✔", "☑", or Wingdings' "ü" as Excel shows a tick in another font), "X" (a box ticked),
 * "Host" or "Lead"; and how it marks none: blank, "N", "No", "-", "✗", "n/a". Null for anything
 * else, which says neither.
 */
export function readCouncilMark(text: string): "marked" | "unmarked" | null {
  const t = text.trim().toLowerCase().replace(/\.$/, "");
  if (MARKED.has(t)) return "marked";
  if (UNMARKED.has(t)) return "unmarked";
  return null;
}

const MARKED = new Set([
  "y",
  "yes",
  "✓",
  "✔",
  "☑",
  "✅",
  "ü",
  "x",
  "host",
  "hosts",
  "lead",
  "leads",
]);

const UNMARKED = new Set([
  "",
  "n",
  "no",
  "-",
  "–",
  "—",
  "✗",
  "✘",
  "☐",
  "n/a",
  "na",
  "0",
]);

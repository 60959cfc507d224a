/** Half of a UTF-16 surrogate pair: a high surrogate with no low one after it, or a low one with no high one before it. */
const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Why PostgreSQL cannot keep `text` exactly as it is, or null when it can: a NUL character (text
 * columns and json refuse it), or half of a UTF-16 surrogate pair (sent to the database it would
 * arrive as "�", a silently different text). The one rule for workbook cells and API arguments.
 */
export function unstorableCharacter(text: string): string | null {
  if (text.includes("\0")) return "a NUL character (\\0)";
  LONE_SURROGATE.lastIndex = 0;
  if (LONE_SURROGATE.test(text))
    return "half of a character (a lone UTF-16 surrogate)";
  return null;
}

/**
 * The text with the characters PostgreSQL cannot keep made visible ("\0" as "␀", a lone surrogate as
 * "�"), for a message or report that quotes what a cell or argument holds.
 */
export function displayableText(text: string): string {
  return text.replaceAll("\0", "␀").replace(LONE_SURROGATE, "\uFFFD");
}

/**
 * Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"): = + - @,
 * tab and carriage return, plus line feed, and their full-width forms, which some spreadsheets also
 * read as formula starters.
 */
const FORMULA_TRIGGERS = /^[=+\-@\t\r\n＝＋－＠]/u;

/**
 * Makes text from imported cells inert in a spreadsheet, as OWASP recommends: text that starts with a
 * formula trigger gets a leading single quote, which Excel shows as text and never evaluates, even
 * when the cell is edited or the sheet is saved as CSV and reopened.
 */
export function formulaSafeText(text: string): string {
  return FORMULA_TRIGGERS.test(text) ? `'${text}` : text;
}

/**
 * Parses RFC 4180 CSV text into rows of fields: fields may be quoted, quoted fields may hold
 * commas, line breaks and doubled quotes (`""` for `"`). Lines may end in LF or CRLF; a leading
 * byte-order mark is dropped; a final line break does not make an empty row.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let inQuotes = false;
  let quotedFieldEnded = false;
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;

  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (inQuotes) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
          quotedFieldEnded = true;
        }
      } else {
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === "" && !quotedFieldEnded) {
      inQuotes = true;
    } else if (ch === ",") {
      row.push(field);
      field = "";
      quotedFieldEnded = false;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && input[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      quotedFieldEnded = false;
    } else if (quotedFieldEnded) {
      // Text after a closing quote is malformed; silently gluing it on would hide a broken file.
      throw new Error(
        `CSV: unexpected character after a closing quote at offset ${i}.`,
      );
    } else {
      field += ch;
    }
  }
  if (inQuotes)
    throw new Error(
      "CSV: a quoted field is not closed before the end of the text.",
    );
  if (field !== "" || quotedFieldEnded || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Parses CSV text whose first row is a header into one object per data row, keyed by column name.
 * Missing trailing fields read as "" so callers need not check for undefined.
 */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows
    .filter((row) => !(row.length === 1 && row[0] === ""))
    .map((row) =>
      Object.fromEntries(header.map((name, i) => [name, row[i] ?? ""])),
    );
}

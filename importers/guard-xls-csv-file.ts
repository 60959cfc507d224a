import { readFile } from "node:fs/promises";
import { CompoundFileDamaged } from "./read-compound-file.js";
import { inspectXlsFile, XlsReadError } from "./read-xls-sheets.js";
import { readTextEncoding } from "./text-encoding.js";

/** Why the guard refuses a .xls or CSV file: a problem code and one sentence. */
export interface FormatRefusal {
  code: "unreadable-file" | "encrypted-file" | "bad-encoding";
  message: string;
}

/**
 * Checks an Excel 97-2003 file as far as its workbook's globals: the compound file's sectors and
 * chains within the file (readCompoundFile's bounds), a BIFF8 workbook stream, no password, a string
 * table no larger than its records. Returns the workbook stream's size, or why the file is refused.
 */
export async function guardXlsFile(
  path: string,
  name: string,
): Promise<{ workbookBytes: number } | FormatRefusal> {
  try {
    return {
      workbookBytes: inspectXlsFile(await readFile(path)).workbookBytes,
    };
  } catch (error) {
    if (error instanceof XlsReadError) {
      if (error.reason === "encrypted")
        return {
          code: "encrypted-file",
          message: `${name} is protected with a password: save a copy without the password and import that.`,
        };
      if (error.reason === "old")
        return {
          code: "unreadable-file",
          message: `${name} ${error.message}: open it in Excel and save it as .xlsx.`,
        };
      if (error.reason === "not-workbook")
        return {
          code: "unreadable-file",
          message: `${name} is not a workbook: ${error.message}.`,
        };
    }
    if (error instanceof XlsReadError || error instanceof CompoundFileDamaged)
      return {
        code: "unreadable-file",
        message: `${name} is an Excel 97-2003 (.xls) file that is damaged (${error.message}): open it in Excel, let it repair the file, save it and import that.`,
      };
    throw error;
  }
}

/**
 * Checks a CSV file's text: no NUL bytes (a binary file), and one encoding throughout (UTF-8, UTF-16
 * with its mark, or Windows-1252; readTextEncoding). Returns null, or why the file is refused.
 */
export async function guardCsvFile(
  path: string,
  name: string,
): Promise<FormatRefusal | null> {
  const text = await readTextEncoding(path);
  if (text.binaryAt)
    return {
      code: "unreadable-file",
      message: `${name} is not a text file (line ${text.binaryAt.line} holds binary data), nor a workbook the importer reads (.xlsx, .xls, .ods or CSV).`,
    };
  if (text.mixedAt)
    return {
      code: "bad-encoding",
      message: `${name} mixes two text encodings: line ${text.mixedAt.line} has a byte (0x${text.mixedAt.byte.toString(16).toUpperCase().padStart(2, "0")}) that is not UTF-8, while the rest is UTF-8. Open it in Excel and save it again as "CSV UTF-8", then import that.`,
    };
  return null;
}

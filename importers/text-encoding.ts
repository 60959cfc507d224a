import { createReadStream } from "node:fs";

/** The encodings a CSV file is read in. */
export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

/** What one pass over a text file found about its encoding. */
export interface TextEncodingReading {
  encoding: TextEncoding;
  /** Bytes of byte-order mark to skip. */
  bomBytes: number;
  /**
   * Where a file that is otherwise UTF-8 (it has valid multi-byte characters) holds a byte that is
   * not: two encodings mixed in one file, which no single decoding reads right.
   */
  mixedAt: { line: number; byte: number } | null;
  /** A NUL byte in a file without a UTF-16 mark: binary, not text. */
  binaryAt: { line: number } | null;
}

/**
 * Decides how a CSV file is decoded, reading it once: a byte-order mark says UTF-8 or UTF-16; else
 * a file that is valid UTF-8 throughout is UTF-8 and any other is Windows-1252 (what Excel's "CSV"
 * and most council systems on Windows write). A file with valid multi-byte UTF-8 and also bytes that
 * are not is reported as mixed rather than read as either (every "£" would come out as "Â£", or
 * the odd byte as "�").
 */
export async function readTextEncoding(
  path: string,
): Promise<TextEncodingReading> {
  let bom: TextEncoding | null = null;
  let bomBytes = 0;
  let first = true;
  let line = 1;
  let multibyte = false;
  let invalidAt: { line: number; byte: number } | null = null;
  let binaryAt: { line: number } | null = null;
  // UTF-8 validation state carried across chunks: continuation bytes still expected, and the
  // bounds of the next one (for overlong forms and surrogates).
  let need = 0;
  let low = 0x80;
  let high = 0xbf;
  for await (const chunk of createReadStream(path, {
    highWaterMark: 1024 * 1024,
  }) as AsyncIterable<Buffer>) {
    let i = 0;
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        bom = "utf-8";
        bomBytes = 3;
      } else if (chunk[0] === 0xff && chunk[1] === 0xfe) {
        bom = "utf-16le";
        bomBytes = 2;
      } else if (chunk[0] === 0xfe && chunk[1] === 0xff) {
        bom = "utf-16be";
        bomBytes = 2;
      }
      if (bom === "utf-16le" || bom === "utf-16be")
        return { encoding: bom, bomBytes, mixedAt: null, binaryAt: null };
      i = bomBytes;
    }
    for (; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 0x0a) line++;
      if (b === 0 && !binaryAt) binaryAt = { line };
      if (need > 0) {
        if (b < low || b > high) {
          invalidAt ??= { line, byte: b };
          need = 0;
          low = 0x80;
          high = 0xbf;
          continue;
        }
        need--;
        low = 0x80;
        high = 0xbf;
        if (need === 0) multibyte = true;
        continue;
      }
      if (b < 0x80) continue;
      if (b >= 0xc2 && b <= 0xdf) need = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        if (b === 0xe0) low = 0xa0;
        if (b === 0xed) high = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        if (b === 0xf0) low = 0x90;
        if (b === 0xf4) high = 0x8f;
      } else invalidAt ??= { line, byte: b };
    }
  }
  if (need > 0 && !invalidAt) invalidAt = { line, byte: 0 };
  const utf8 = bom === "utf-8" || invalidAt === null;
  return {
    encoding: utf8 ? "utf-8" : "windows-1252",
    bomBytes,
    mixedAt: invalidAt && (multibyte || bom === "utf-8") ? invalidAt : null,
    binaryAt,
  };
}

import { writeZip, type ZipEntrySpec } from "../../../fixtures/write-zip.js";

/**
 * One cell as written into the sheet XML: a string is an inline text cell; an object is written as
 * given, so that a test can save what no spreadsheet program would (a `<v>` of "0x1F", a formula
 * without its result, bytes that are not UTF-8).
 */
export type RawCell =
  | string
  | null
  | {
      /** The `<v>` text; absent for a formula saved without its value. */
      v?: string | Buffer;
      /** The cell's type attribute: "n" (default), "s", "str", "b", "e", "inlineStr", "d". */
      t?: string;
      /** The formula, without "=". */
      f?: string;
      /** The style index: 1 is a date format in the styles this writer saves. */
      s?: number;
    };

/** A worksheet for writeRawXlsx. */
export interface RawSheet {
  name: string;
  rows: RawCell[][];
  /** Replaces the whole sheet XML (for broken XML). */
  xml?: Buffer;
  /** Merged ranges ("B4:D4"), listed after the rows as a spreadsheet saves them. */
  merges?: string[];
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function column(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * The sheet XML of `rows`, as bytes (a cell's `<v>` may hold bytes that are not UTF-8), with its
 * merged ranges after them.
 */
export function sheetXml(rows: RawCell[][], merges: string[] = []): Buffer {
  const parts: Buffer[] = [
    Buffer.from(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
    ),
  ];
  rows.forEach((cells, r) => {
    parts.push(Buffer.from(`<row r="${r + 1}">`));
    cells.forEach((cell, c) => {
      if (cell === null) return;
      const ref = `${column(c)}${r + 1}`;
      if (typeof cell === "string") {
        parts.push(
          Buffer.from(
            `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(cell)}</t></is></c>`,
          ),
        );
        return;
      }
      const attributes =
        (cell.t ? ` t="${cell.t}"` : "") +
        (cell.s !== undefined ? ` s="${cell.s}"` : "");
      parts.push(Buffer.from(`<c r="${ref}"${attributes}>`));
      if (cell.f !== undefined)
        parts.push(Buffer.from(`<f>${escapeXml(cell.f)}</f>`));
      if (cell.v !== undefined)
        parts.push(
          Buffer.from("<v>"),
          typeof cell.v === "string" ? Buffer.from(escapeXml(cell.v)) : cell.v,
          Buffer.from("</v>"),
        );
      parts.push(Buffer.from("</c>"));
    });
    parts.push(Buffer.from("</row>"));
  });
  parts.push(Buffer.from("</sheetData>"));
  if (merges.length)
    parts.push(
      Buffer.from(
        `<mergeCells count="${merges.length}">${merges.map((ref) => `<mergeCell ref="${ref}"/>`).join("")}</mergeCells>`,
      ),
    );
  parts.push(Buffer.from("</worksheet>"));
  return Buffer.concat(parts);
}

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELS = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOC_RELS =
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** The parts of a minimal .xlsx around `sheets`, in the order Excel writes them. */
export function rawXlsxEntries(
  sheets: RawSheet[],
  options: { date1904?: "1" | "true" } = {},
): ZipEntrySpec[] {
  const overrides = sheets
    .map(
      (_, i) =>
        `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    )
    .join("");
  return [
    {
      name: "[Content_Types].xml",
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${overrides}</Types>`,
      ),
    },
    {
      name: "_rels/.rels",
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="${DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    },
    {
      name: "xl/workbook.xml",
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${DOC_RELS}"><workbookPr${options.date1904 ? ` date1904="${options.date1904}"` : ""}/><sheets>${sheets
          .map(
            (sheet, i) =>
              `<sheet name="${escapeXml(sheet.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`,
          )
          .join("")}</sheets></workbook>`,
      ),
    },
    {
      name: "xl/_rels/workbook.xml.rels",
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${RELS}">${sheets
          .map(
            (_, i) =>
              `<Relationship Id="rId${i + 1}" Type="${DOC_RELS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
          )
          .join(
            "",
          )}<Relationship Id="rId${sheets.length + 1}" Type="${DOC_RELS}/styles" Target="styles.xml"/></Relationships>`,
      ),
    },
    {
      name: "xl/styles.xml",
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
      ),
    },
    ...sheets.map((sheet, i) => ({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      data: sheet.xml ?? sheetXml(sheet.rows, sheet.merges),
    })),
  ];
}

/** Writes a minimal .xlsx by hand from raw cells (see RawCell) and returns its path. */
export async function writeRawXlsx(
  path: string,
  sheets: RawSheet[],
  options: { date1904?: "1" | "true" } = {},
): Promise<string> {
  await writeZip(path, rawXlsxEntries(sheets, options));
  return path;
}

/** A long savings tracker's rows (Derbyshire, June 2008) with `amounts` in E6, E7, ... */
export function rawTracker(
  amounts: RawCell[],
  services?: string[],
): RawCell[][] {
  return [
    ["Savings tracker"],
    ["Period:", "June 2008"],
    ["Partnership:", "Derbyshire RCE Shared Services"],
    [
      "Partners:",
      "Chesterfield Borough Council, Bolsover District Council, North East Derbyshire District Council",
    ],
    ["Council", "Workstream", "Financial year", "Measure", "Amount (£)"],
    ...amounts.map((amount, i) => [
      null,
      services?.[i] ?? `Workstream ${i + 1}`,
      "2007/08",
      "Achieved",
      amount,
    ]),
  ];
}

import { open } from "node:fs/promises";
import { extname } from "node:path";
import yauzl from "yauzl";

/** The file formats the importer reads, in the order the tests and the corpus try them. */
export const WORKBOOK_FORMATS = ["xlsx", "xls", "ods", "csv"] as const;

/** One of the file formats the importer reads. */
export type WorkbookFormat = (typeof WORKBOOK_FORMATS)[number];

/** What a file's first bytes (and, for a zip, its entries) say it is. */
export type DetectedFormat =
  | { kind: "workbook"; format: WorkbookFormat }
  /** Something the importer does not read, with the words an analyst knows it by. */
  | { kind: "other"; what: string };

/** The extensions each format is saved with (lower case, with the dot). */
export const FORMAT_EXTENSIONS: Readonly<
  Record<WorkbookFormat, readonly string[]>
> = {
  xlsx: [".xlsx", ".xlsm"],
  xls: [".xls"],
  ods: [".ods"],
  csv: [".csv", ".tsv", ".txt"],
};

/** The names a person knows each format by, for messages. */
export const FORMAT_NAMES: Readonly<Record<WorkbookFormat, string>> = {
  xlsx: "an Excel workbook (.xlsx)",
  xls: "an Excel 97-2003 workbook (.xls)",
  ods: "an OpenDocument spreadsheet (.ods)",
  csv: "a CSV text file",
};

/** The format a file name's extension claims, or null for an extension that claims none. */
export function formatOfName(name: string): WorkbookFormat | null {
  const ext = extname(name).toLowerCase();
  for (const [format, list] of Object.entries(FORMAT_EXTENSIONS))
    if (list.includes(ext)) return format as WorkbookFormat;
  return null;
}

const CFB_SIGNATURE = Buffer.from("d0cf11e0a1b11ae1", "hex");
const ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet";

/**
 * Decides a file's format from its content, never from its name: a zip is .xlsx (it has
 * xl/workbook.xml) or .ods (its `mimetype` entry says so); an OLE compound file is .xls; text is CSV.
 * Web pages, Excel 2003 XML, PDFs and other binaries are named as what they are. Reads only the first
 * bytes and, for a zip, its directory and the small `mimetype` entry (the zip guard has checked the
 * zip's sizes first, or checks them next).
 */
export async function detectWorkbookFormat(
  path: string,
): Promise<DetectedFormat> {
  const handle = await open(path, "r");
  let head: Buffer;
  try {
    head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    head = head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (head.length >= 8 && head.subarray(0, 8).equals(CFB_SIGNATURE))
    return { kind: "workbook", format: "xls" };
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50)
    return detectZipFormat(path);
  return detectTextFormat(head);
}

function detectTextFormat(head: Buffer): DetectedFormat {
  if (head.subarray(0, 4).toString("latin1") === "%PDF")
    return { kind: "other", what: "a PDF document" };
  const utf16 =
    (head[0] === 0xff && head[1] === 0xfe) ||
    (head[0] === 0xfe && head[1] === 0xff);
  const text = utf16
    ? head
        .subarray(2)
        .toString(head[0] === 0xff ? "utf16le" : "latin1")
        .replace(/\0/g, "")
    : head.toString("latin1");
  if (!utf16 && head.includes(0))
    return { kind: "other", what: "a binary file, not text or a workbook" };
  const start = text.replace(/^\uFEFF|^\xEF\xBB\xBF/, "").trimStart();
  if (/^<\?xml[^>]*>\s*(?:<\?mso-application[^>]*Excel|<Workbook)/i.test(start))
    return { kind: "other", what: "an Excel 2003 XML spreadsheet" };
  if (/^<(?:!doctype\s+html|html|table|head|body|meta)\b/i.test(start))
    return { kind: "other", what: "a web page (HTML)" };
  if (/^<\?xml/i.test(start)) return { kind: "other", what: "an XML file" };
  return { kind: "workbook", format: "csv" };
}

/** Lists a zip's entries and reads its `mimetype` entry, if it has one. */
function detectZipFormat(path: string): Promise<DetectedFormat> {
  // A zip that cannot be listed is tried as .xlsx: the zip guard names the damage.
  const xlsx: DetectedFormat = { kind: "workbook", format: "xlsx" };
  return new Promise((resolve) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error || !zip) return resolve(xlsx);
      let done = false;
      const finish = (result: DetectedFormat): void => {
        if (done) return;
        done = true;
        zip.close();
        resolve(result);
      };
      let workbook = false;
      let mimetype: yauzl.Entry | null = null;
      let entries = 0;
      zip.on("error", () => finish(xlsx));
      zip.on("entry", (entry: yauzl.Entry) => {
        entries++;
        if (entry.fileName === "xl/workbook.xml") workbook = true;
        if (entry.fileName === "mimetype") mimetype = entry;
        // A zip with very many entries is the guard's to refuse; it is not listed to the end here.
        if (entries > 10_000) return finish(xlsx);
        zip.readEntry();
      });
      zip.on("end", () => {
        const entry = mimetype as yauzl.Entry | null;
        if (workbook || !entry) return finish(xlsx);
        if (entry.uncompressedSize > 200)
          return finish({ kind: "other", what: "a zip file" });
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return finish(xlsx);
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("error", () => finish(xlsx));
          stream.on("end", () => {
            const type = Buffer.concat(chunks).toString("utf8").trim();
            const odf = "application/vnd.oasis.opendocument.";
            if (type === ODS_MIMETYPE)
              finish({ kind: "workbook", format: "ods" });
            else if (type.startsWith(odf))
              finish({
                kind: "other",
                what: `an OpenDocument ${type.slice(odf.length)} file, not a spreadsheet`,
              });
            else finish({ kind: "other", what: "a zip file" });
          });
        });
      });
      zip.readEntry();
    });
  });
}

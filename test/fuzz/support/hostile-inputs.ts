import XLSX from "xlsx";
import {
  rawXlsxEntries,
  type RawCell,
} from "../../importers/support/write-raw-xlsx.js";
import { zipBytes, type ZipEntrySpec } from "../../../fixtures/write-zip.js";

/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same inputs on every
 * machine, so that a failing case is reproduced from the seed printed with it.
 */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** One hostile input: its bytes, the file name to import it as, and what may be stored from it. */
export interface HostileInput {
  /** What was done to it, for the failure message ("byte flips: 3 at 1021, ..."). */
  description: string;
  file: string;
  bytes: Buffer;
  /**
   * The exact amount (pounds, two decimals) each amount cell's text means, by A1 cell; null for a
   * cell whose text means no stored amount. A figure stored from a cell not listed, or with another
   * amount, differs from the cell's text. Null when the damage may have changed what the cells say
   * (a byte flipped in a CSV's digits), so that only the other checks apply.
   */
  amounts: Map<string, string | null> | null;
}

/**
 * A file format the fuzzer knows: it writes a valid workbook of random figures, some cells hostile,
 * and (usually) damages it in one of the format's ways. The formats helper adds .csv, .xls and
 * .ods by adding one of these to FORMATS; the hostile cells (HOSTILE_AMOUNTS, HOSTILE_TEXT) and
 * the fake file types are shared.
 */
export interface FormatFuzzer {
  extension: string;
  generate(random: Random): Promise<Omit<HostileInput, "file">>;
}

/** Valid amounts as people write them, with what they mean. */
const VALID_AMOUNTS: [RawCell, string][] = [
  [{ v: "1000" }, "1000.00"],
  [{ v: "1234.5" }, "1234.50"],
  [{ v: "-25" }, "-25.00"],
  [{ v: "0" }, "0.00"],
  [{ v: "9999999999.99" }, "9999999999.99"],
  [{ v: "1E3" }, "1000.00"],
  ["£357,000", "357000.00"],
  ["£30k", "30000.00"],
  ["(25,000)", "-25000.00"],
  ["-£25.50", "-25.50"],
  ["GBP 1,000", "1000.00"],
  ["£0.5M", "500000.00"],
  [{ f: "B1*2", v: "1234.5" }, "1234.50"],
];

const HUGE = "9".repeat(400);

/** Amount cells no figure may come from (refused, or no figure), by what makes them hostile. */
const HOSTILE_AMOUNTS: [string, () => RawCell][] = [
  ["2^64 in text", () => "£184,467,440,737,107,861.83"],
  ["1e308", () => ({ v: "1e308" })],
  ["-1e308", () => ({ v: "-1e308" })],
  ["1e13", () => ({ v: "1e13" })],
  ["2^53+1", () => ({ v: "9007199254740993" })],
  ["100,000 nines", () => "£" + "9".repeat(100_000)],
  ["400 nines as a number", () => ({ v: HUGE })],
  ["hex", () => ({ v: "0x1F" })],
  ["underscore", () => ({ v: "1_000" })],
  ["Infinity", () => ({ v: "Infinity" })],
  ["NaN", () => ({ v: "NaN" })],
  ["invalid UTF-8", () => ({ v: Buffer.from([0x33, 0x30, 0xff, 0x30]) })],
  ["invalid UTF-8 text", () => ({ t: "str", v: Buffer.from([0xc3, 0x28]) })],
  ["formula without value", () => ({ f: "SUM(A1:A3)" })],
  ["formula #DIV/0!", () => ({ f: "1/0", t: "e", v: "#DIV/0!" })],
  ["#REF!", () => ({ t: "e", v: "#REF!" })],
  ["#N/A", () => ({ t: "e", v: "#N/A" })],
  ["tbc", () => "tbc"],
  ["to follow", () => "to follow"],
  ["date serial in amount", () => ({ v: "2958466", s: 1 })],
  ["boolean", () => ({ t: "b", v: "1" })],
  ["shared string out of range", () => ({ t: "s", v: "99999" })],
  ["fraction of a penny", () => "£12.345"],
  ["two minus signs", () => "--5"],
  ["NUL byte", () => "30\u0000000"],
  ["100,000-character text", () => "x".repeat(100_000)],
];

/** Other cells made hostile: names, years, dates. */
const HOSTILE_TEXT: [string, () => RawCell][] = [
  ["1,000,000-character name", () => "n".repeat(1_000_000)],
  ["100,000-character name", () => "n".repeat(100_000)],
  ["formula without value", () => ({ f: "A1&B1" })],
  ["@SUM(1)", () => "@SUM(1)"],
  ["=cmd formula text", () => "=cmd|' /C calc'!A0"],
  ["invalid UTF-8", () => ({ t: "str", v: Buffer.from([0x41, 0xfe, 0x42]) })],
  ["date serial 2958466", () => ({ v: "2958466", s: 1 })],
  ["NaN date", () => ({ v: "NaN", s: 1 })],
  ["control characters", () => "A\u0001\u0002B"],
  ["lone surrogate", () => "A\ud800B"],
];

/** The A1 column letters of a 0-based index. */
function column(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** A Derbyshire tracker of 1 to 12 figures, some cells hostile, with what each amount cell means. */
const XLSX_ROWS = {
  cells(random: Random): {
    rows: RawCell[][];
    amounts: Map<string, string | null>;
    notes: string[];
  } {
    const notes: string[] = [];
    const amounts = new Map<string, string | null>();
    const rows: RawCell[][] = [
      ["Savings tracker"],
      ["Period:", "June 2008"],
      ["Partnership:", "Derbyshire RCE Shared Services"],
      [
        "Partners:",
        "Chesterfield Borough Council, Bolsover District Council, North East Derbyshire District Council",
      ],
      ["Council", "Workstream", "Financial year", "Measure", "Amount (£)"],
    ];
    const n = 1 + random.int(12);
    for (let i = 0; i < n; i++) {
      const rowNumber = rows.length + 1;
      const cell = `E${rowNumber}`;
      let amount: RawCell;
      if (random.chance(0.12)) {
        const [what, make] = random.pick(HOSTILE_AMOUNTS);
        amount = make();
        amounts.set(cell, null);
        notes.push(`${cell}: ${what}`);
      } else {
        const [written, means] = random.pick(VALID_AMOUNTS);
        amount = written;
        amounts.set(cell, means);
      }
      const row: RawCell[] = [
        null,
        `Fuzz workstream ${random.seed}-${i}`,
        "2007/08",
        "Achieved",
        amount,
      ];
      if (random.chance(0.05)) {
        const target = random.int(4);
        const [what, make] = random.pick(HOSTILE_TEXT);
        row[target] = make();
        notes.push(`${column(target)}${rowNumber}: ${what}`);
      }
      rows.push(row);
    }
    return { rows, amounts, notes };
  },
};

/** Ways to damage the zip or its parts; each says what it did. */
type Damage = (
  random: Random,
  entries: ZipEntrySpec[],
) => Promise<{ bytes: Buffer; what: string } | null>;

/** The part holding the cells: an .xlsx's first worksheet, an .ods's content.xml. */
const sheetEntry = (entries: ZipEntrySpec[]) =>
  entries.find(
    (e) => e.name === "xl/worksheets/sheet1.xml" || e.name === "content.xml",
  )!;

/** The part that names the sheets (.xlsx) or lists the parts (.ods). */
const indexEntryName = (entries: ZipEntrySpec[]) =>
  entries.some((e) => e.name === "xl/workbook.xml")
    ? "xl/workbook.xml"
    : "META-INF/manifest.xml";

/** Puts a document type declaration before the root element, whatever the root is called. */
const withDoctype = (xml: string, doctype: string) =>
  xml.replace(/<(?![?!])/, `${doctype}<`);

const XML_DAMAGE: [string, (xml: string, random: Random) => string][] = [
  ["unclosed tag", (xml) => xml.replace("</sheetData>", "<row><c>")],
  ["garbage after root", (xml) => xml + "<extra>"],
  ["cut short", (xml, random) => xml.slice(0, random.int(xml.length))],
  [
    "entity expansion (billion laughs)",
    (xml) =>
      withDoctype(
        xml,
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>',
      ).replace("Savings tracker", "&lol4;"),
  ],
  [
    "external entity",
    (xml) =>
      withDoctype(
        xml,
        '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
      ).replace("Savings tracker", "&xxe;"),
  ],
  ["undefined entity", (xml) => xml.replace("Savings tracker", "&nope;")],
  [
    "cell reference past Excel's grid",
    (xml) => xml.replace('r="E6"', 'r="ZZZZZ6"'),
  ],
  [
    "row number past Excel's grid",
    (xml) => xml.replace('<row r="6"', '<row r="99999999"'),
  ],
  ["cell reference with no letters", (xml) => xml.replace('r="E6"', 'r="6"')],
  [
    "duplicate attribute",
    (xml) => xml.replace('<row r="6"', '<row r="6" r="7"'),
  ],
  [
    "namespace prefix",
    (xml) => xml.replace(/<(\/?)(row|c|v|sheetData)\b/g, "<$1x:$2"),
  ],
  [
    "BOM and UTF-16 claim",
    (xml) => "\ufeff" + xml.replace('encoding="UTF-8"', 'encoding="UTF-16"'),
  ],
];

const DAMAGES: [string, Damage][] = [
  [
    "byte flips",
    async (random, entries) => {
      const bytes = await zipBytes(entries);
      const flips = 1 + random.int(6);
      const at: number[] = [];
      for (let i = 0; i < flips; i++) {
        const k = random.int(bytes.length);
        bytes[k] = bytes[k]! ^ (1 + random.int(255));
        at.push(k);
      }
      return { bytes, what: `${flips} bytes flipped at ${at.join(", ")}` };
    },
  ],
  [
    "truncated",
    async (random, entries) => {
      const bytes = await zipBytes(entries);
      const length = random.int(bytes.length);
      return {
        bytes: bytes.subarray(0, length),
        what: `cut to ${length} bytes`,
      };
    },
  ],
  [
    "local header compressed size",
    async (random, entries) => {
      const sheet = sheetEntry(entries);
      const delta = random.pick([-100, -5, -1, 1, 7, 1000, 1 << 30]);
      const { deflateRawSync } = await import("node:zlib");
      sheet.localCompressedSize = Math.max(
        0,
        deflateRawSync(sheet.data!).length + delta,
      );
      return {
        bytes: await zipBytes(entries),
        what: `local size ${delta} off`,
      };
    },
  ],
  [
    "local header inflated size",
    async (random, entries) => {
      const sheet = sheetEntry(entries);
      sheet.localSize = random.pick([0, 1, 0xffffffff, sheet.data!.length * 3]);
      return {
        bytes: await zipBytes(entries),
        what: `local inflated size ${sheet.localSize}`,
      };
    },
  ],
  [
    "data descriptor flag without descriptor",
    async (random, entries) => {
      const sheet = sheetEntry(entries);
      sheet.localFlags = 8;
      if (random.chance(0.5)) {
        sheet.localCompressedSize = 0;
        sheet.localSize = 0;
      }
      return { bytes: await zipBytes(entries), what: "flag 8, no descriptor" };
    },
  ],
  [
    "central directory",
    async (random, entries) => {
      const bytes = await zipBytes(entries);
      const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
      const field = random.pick([8, 10, 12, 16]);
      const value = random.pick([0, 1, 0xffff, bytes.length, 0x7fffffff]);
      if (field <= 10) bytes.writeUInt16LE(value & 0xffff, eocd + field);
      else bytes.writeUInt32LE(value >>> 0, eocd + field);
      return { bytes, what: `end record field ${field} = ${value}` };
    },
  ],
  [
    "directory entry",
    async (random, entries) => {
      const bytes = await zipBytes(entries);
      const cd = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      const field = random.pick([10, 16, 20, 24, 28, 30, 42]);
      const value = random.pick([0, 1, 99, 0xffff, 0xffffffff]);
      if (field === 10 || field === 28 || field === 30)
        bytes.writeUInt16LE(value & 0xffff, cd + field);
      else bytes.writeUInt32LE(value >>> 0, cd + field);
      return { bytes, what: `first directory entry field ${field} = ${value}` };
    },
  ],
  [
    "sheet XML",
    async (random, entries) => {
      const sheet = sheetEntry(entries);
      const [what, damage] = random.pick(XML_DAMAGE);
      sheet.data = Buffer.from(
        damage(sheet.data!.toString("latin1"), random),
        "latin1",
      );
      return { bytes: await zipBytes(entries), what };
    },
  ],
  [
    "zip structure",
    async (random, entries) => {
      const trick = random.int(6);
      const sheet = sheetEntry(entries);
      const index = indexEntryName(entries);
      if (trick === 0) entries.push({ ...sheet });
      if (trick === 1)
        entries.splice(
          entries.findIndex((e) => e.name === index),
          1,
        );
      if (trick === 2) sheet.name = "../../xl/worksheets/sheet1.xml";
      if (trick === 3) entries.reverse();
      if (trick === 4)
        entries.push({
          name: "xl/worksheets/sheet2.xml",
          data: Buffer.alloc(0),
        });
      if (trick === 5)
        entries.push({
          name: "xl/media/nested.xlsx",
          data: await zipBytes(entries.slice()),
        });
      return {
        bytes: await zipBytes(entries),
        what: [
          "duplicate sheet entry",
          `no ${index}`,
          "path traversal",
          "entries reversed",
          "empty second sheet",
          "nested zip",
        ][trick]!,
      };
    },
  ],
  [
    "fake file type",
    async (random) => {
      const fakes: [string, Buffer][] = [
        ["PDF", Buffer.from("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")],
        ["PNG", Buffer.from("89504e470d0a1a0a0000000d49484452", "hex")],
        [
          "CSV",
          Buffer.from(
            "Council,Workstream,Financial year,Measure,Amount\n,A,2007/08,Achieved,100\n",
          ),
        ],
        [
          "HTML",
          Buffer.from(
            "<html><body><table><tr><td>1</td></tr></table></body></html>",
          ),
        ],
        [
          "old .xls",
          Buffer.concat([
            Buffer.from("d0cf11e0a1b11ae1", "hex"),
            Buffer.alloc(512),
          ]),
        ],
        ["one byte", Buffer.from("P")],
        ["zip signature only", Buffer.from("PK\u0003\u0004")],
        [
          "empty zip",
          Buffer.from("504b0506000000000000000000000000000000000000", "hex"),
        ],
        [
          "random bytes",
          Buffer.from(Array.from({ length: 2048 }, () => random.int(256))),
        ],
      ];
      const [what, bytes] = random.pick(fakes);
      return { bytes, what };
    },
  ],
];

/** A zip of `entries`, usually with one of the zip damages done to it (noted in `notes`). */
async function zipWithDamage(
  random: Random,
  entries: ZipEntrySpec[],
  notes: string[],
): Promise<Buffer> {
  if (random.chance(0.6)) {
    const [kind, damage] = random.pick(DAMAGES);
    const done = await damage(random, entries);
    if (done) {
      notes.push(`${kind}: ${done.what}`);
      return done.bytes;
    }
  }
  return zipBytes(entries);
}

/** The .xlsx format: a random tracker with hostile cells, then (usually) one damage. */
export const XLSX_FUZZER: FormatFuzzer = {
  extension: "xlsx",
  async generate(random) {
    const { rows, amounts, notes } = XLSX_ROWS.cells(random);
    const entries = rawXlsxEntries([{ name: "Tracker", rows }], {
      date1904: random.chance(0.1)
        ? random.pick(["1", "true"] as const)
        : undefined,
    });
    const bytes = await zipWithDamage(random, entries, notes);
    return { description: notes.join("; ") || "valid", bytes, amounts };
  },
};

/** CSV amounts as people type them, with what they mean (a CSV's cells are all text). */
const CSV_VALID_AMOUNTS: [string, string][] = [
  ["1000", "1000.00"],
  ["1234.5", "1234.50"],
  ["-25", "-25.00"],
  ["0", "0.00"],
  ["9999999999.99", "9999999999.99"],
  ["£357,000", "357000.00"],
  ["£30k", "30000.00"],
  ["(25,000)", "-25000.00"],
  ["-£25.50", "-25.50"],
  ["GBP 1,000", "1000.00"],
];

/** CSV cells no figure may come from. */
const CSV_HOSTILE_AMOUNTS: [string, () => string | Buffer][] = [
  ["2^64", () => "£184,467,440,737,107,861.83"],
  ["1e308", () => "1e308"],
  ["exponent", () => "1E3"],
  ["hex", () => "0x1F"],
  ["underscore", () => "1_000"],
  ["Infinity", () => "Infinity"],
  ["NaN", () => "NaN"],
  ["100,000 nines", () => "£" + "9".repeat(100_000)],
  ["#DIV/0!", () => "#DIV/0!"],
  ["formula text", () => "=SUM(A1:A3)"],
  ["tbc", () => "tbc"],
  ["to follow", () => "to follow"],
  ["two minus signs", () => "--5"],
  ["fraction of a penny", () => "£12.345"],
  ["NUL byte", () => "30\u0000000"],
  ["invalid UTF-8", () => Buffer.from([0x33, 0x30, 0xff, 0x30])],
  ["Windows-1252 pound", () => Buffer.from([0xa3, 0x31, 0x30, 0x30])],
  ["100,000-character text", () => "x".repeat(100_000)],
];

/** A CSV field, quoted when it holds a quote, a line break or any of the delimiters. */
function csvField(value: string | Buffer): Buffer {
  if (typeof value !== "string") return value;
  return /["\r\n,;\t]/.test(value)
    ? Buffer.from(`"${value.replace(/"/g, '""')}"`)
    : Buffer.from(value);
}

/** A copy of a file's bytes with one to six of them flipped (for the text and compound-file formats). */
function flipBytes(bytes: Buffer, random: Random): Buffer {
  const copy = Buffer.from(bytes);
  for (let i = 1 + random.int(6); i > 0; i--) {
    const k = random.int(copy.length);
    copy[k] = copy[k]! ^ (1 + random.int(255));
  }
  return copy;
}

/** A file's bytes cut short at a random length. */
const truncate = (bytes: Buffer, random: Random): Buffer =>
  bytes.subarray(0, random.int(bytes.length));

/** CSV damages: [name, damage, whether the cells still say what was written]. */
const CSV_DAMAGES: [
  string,
  (bytes: Buffer, random: Random) => Buffer,
  boolean,
][] = [
  ["byte flips", flipBytes, false],
  ["truncated", truncate, false],
  [
    "unclosed quote",
    (bytes) => Buffer.concat([bytes, Buffer.from('"unclosed,1\n')]),
    true,
  ],
  [
    "UTF-8 byte-order mark",
    (bytes) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]),
    true,
  ],
  [
    "UTF-16 mark on UTF-8 text",
    (bytes) => Buffer.concat([Buffer.from([0xff, 0xfe]), bytes]),
    false,
  ],
  ["NUL bytes", (bytes) => Buffer.concat([bytes, Buffer.alloc(64)]), true],
  [
    "carriage returns only",
    (bytes) =>
      Buffer.from(bytes.toString("latin1").replace(/\n/g, "\r"), "latin1"),
    false,
  ],
  [
    "a 2 MB line",
    (bytes) =>
      Buffer.concat([bytes, Buffer.from("x".repeat(2 * 1024 * 1024) + "\n")]),
    true,
  ],
];

/** The .csv format: the same tracker as text, one delimiter, then (usually) one damage. */
export const CSV_FUZZER: FormatFuzzer = {
  extension: "csv",
  async generate(random) {
    const delimiter = random.pick([",", ";", "\t"]);
    const notes: string[] = [`delimiter ${JSON.stringify(delimiter)}`];
    const amounts = new Map<string, string | null>();
    const lines: (string | Buffer)[][] = [
      ["Savings tracker"],
      ["Period:", "June 2008"],
      ["Partnership:", "Derbyshire RCE Shared Services"],
      [
        "Partners:",
        "Chesterfield Borough Council, Bolsover District Council, North East Derbyshire District Council",
      ],
      ["Council", "Workstream", "Financial year", "Measure", "Amount (£)"],
    ];
    for (let i = 1 + random.int(12); i > 0; i--) {
      const cell = `E${lines.length + 1}`;
      let amount: string | Buffer;
      if (random.chance(0.12)) {
        const [what, make] = random.pick(CSV_HOSTILE_AMOUNTS);
        amount = make();
        amounts.set(cell, null);
        notes.push(`${cell}: ${what}`);
      } else {
        const [written, means] = random.pick(CSV_VALID_AMOUNTS);
        amount = written;
        amounts.set(cell, means);
      }
      lines.push([
        "",
        `Fuzz workstream ${random.seed}-${i}`,
        "2007/08",
        "Achieved",
        amount,
      ]);
    }
    let bytes: Buffer = Buffer.concat(
      lines.flatMap((line) => [
        Buffer.concat(
          line.flatMap((field, k) => [
            ...(k > 0 ? [Buffer.from(delimiter)] : []),
            csvField(field),
          ]),
        ),
        Buffer.from("\r\n"),
      ]),
    );
    let faithful = true;
    if (random.chance(0.5)) {
      const [what, damage, keeps] = random.pick(CSV_DAMAGES);
      bytes = damage(bytes, random);
      faithful = keeps;
      notes.push(what);
    }
    return {
      description: notes.join("; "),
      bytes,
      amounts: faithful ? amounts : null,
    };
  },
};

/** A cell as SheetJS writes it: numbers as numbers, text as text, errors and dates as typed cells. */
type SheetJsCell = XLSX.CellObject;

const number = (v: number): SheetJsCell => ({ t: "n", v });
const text = (v: string): SheetJsCell => ({ t: "s", v });

/** Amounts in a SheetJS-written workbook, with what they mean: numbers stored as numbers, and text. */
const SHEETJS_VALID_AMOUNTS: [SheetJsCell, string][] = [
  [number(1000), "1000.00"],
  [number(1234.5), "1234.50"],
  [number(-25), "-25.00"],
  [number(0), "0.00"],
  [number(9999999999.99), "9999999999.99"],
  ...CSV_VALID_AMOUNTS.map(([written, means]): [SheetJsCell, string] => [
    text(written),
    means,
  ]),
];

/** Amount cells no figure may come from: absurd numbers, error cells, a date, and the CSV's hostile text. */
const SHEETJS_HOSTILE_AMOUNTS: [string, () => SheetJsCell][] = [
  ["1e308", () => number(1e308)],
  ["-1e308", () => number(-1e308)],
  ["1e13", () => number(1e13)],
  ["2^53+1", () => number(2 ** 53 + 1)],
  ["NaN", () => number(NaN)],
  ["Infinity", () => number(Infinity)],
  ["#DIV/0!", () => ({ t: "e", v: 0x07 })],
  ["#REF!", () => ({ t: "e", v: 0x17 })],
  ["#N/A", () => ({ t: "e", v: 0x2a })],
  ["date serial 2958466", () => ({ t: "n", v: 2958466, z: "dd/mm/yyyy" })],
  ["boolean", () => ({ t: "b", v: true })],
  ...CSV_HOSTILE_AMOUNTS.flatMap(
    ([what, make]): [string, () => SheetJsCell][] => {
      const made = make();
      return typeof made === "string" ? [[what, () => text(made)]] : [];
    },
  ),
];

/**
 * Hostile amounts SheetJS cannot write into an .ods: NaN becomes office:value="0" and a date-formatted
 * serial a plain float, true numbers the file then holds.
 */
const ODS_UNWRITABLE = new Set(["NaN", "date serial 2958466"]);

/** Names and years made hostile in a SheetJS-written workbook. */
const SHEETJS_HOSTILE_TEXT: [string, () => SheetJsCell][] = [
  ["100,000-character name", () => text("n".repeat(100_000))],
  ["formula text", () => text("=cmd|' /C calc'!A0")],
  ["@SUM(1)", () => text("@SUM(1)")],
  ["control characters", () => text("A\u0001\u0002B")],
  ["lone surrogate", () => text("A\ud800B")],
  ["date serial 2958466", () => ({ t: "n", v: 2958466, z: "dd/mm/yyyy" })],
  ["NaN date", () => ({ t: "n", v: NaN, z: "dd/mm/yyyy" })],
  ["error", () => ({ t: "e", v: 0x17 })],
];

/** A random tracker written by SheetJS in `bookType`, the same layout as the CSV's, with hostile cells. */
function sheetJsTracker(
  random: Random,
  bookType: "xls" | "ods",
): { bytes: Buffer; amounts: Map<string, string | null>; notes: string[] } {
  const notes: string[] = [];
  const amounts = new Map<string, string | null>();
  const lines: SheetJsCell[][] = [
    [text("Savings tracker")],
    [text("Period:"), text("June 2008")],
    [text("Partnership:"), text("Derbyshire RCE Shared Services")],
    [
      text("Partners:"),
      text(
        "Chesterfield Borough Council, Bolsover District Council, North East Derbyshire District Council",
      ),
    ],
    ["Council", "Workstream", "Financial year", "Measure", "Amount (£)"].map(
      text,
    ),
  ];
  for (let i = 1 + random.int(12); i > 0; i--) {
    const rowNumber = lines.length + 1;
    const cell = `E${rowNumber}`;
    let amount: SheetJsCell;
    if (random.chance(0.15)) {
      const [what, make] = random.pick(
        bookType === "ods"
          ? SHEETJS_HOSTILE_AMOUNTS.filter(
              ([what]) => !ODS_UNWRITABLE.has(what),
            )
          : SHEETJS_HOSTILE_AMOUNTS,
      );
      amount = make();
      amounts.set(cell, null);
      notes.push(`${cell}: ${what}`);
    } else {
      const [written, means] = random.pick(SHEETJS_VALID_AMOUNTS);
      amount = written;
      amounts.set(cell, means);
    }
    const row: SheetJsCell[] = [
      { t: "z" },
      text(`Fuzz workstream ${random.seed}-${i}`),
      text("2007/08"),
      text("Achieved"),
      amount,
    ];
    if (random.chance(0.05)) {
      const target = random.int(4);
      const [what, make] = random.pick(SHEETJS_HOSTILE_TEXT);
      row[target] = make();
      notes.push(`${column(target)}${rowNumber}: ${what}`);
    }
    lines.push(row);
  }
  const sheet: XLSX.WorkSheet = {};
  lines.forEach((line, r) =>
    line.forEach((cell, c) => {
      if (cell.t !== "z") sheet[`${column(c)}${r + 1}`] = cell;
    }),
  );
  sheet["!ref"] = `A1:E${lines.length}`;
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, sheet, "Tracker");
  const bytes = XLSX.write(workbook, { bookType, type: "buffer" }) as Buffer;
  return { bytes, amounts, notes };
}

/** A zip's files as entries our zip writer can damage and write again (SheetJS's own marker left out). */
function zipEntries(bytes: Buffer): ZipEntrySpec[] {
  const zip = XLSX.CFB.read(bytes, { type: "buffer" }) as unknown as {
    FileIndex: { type: number; content: Uint8Array }[];
    FullPaths: string[];
  };
  return zip.FileIndex.flatMap((file, i) => {
    const name = zip.FullPaths[i]!.replace(/^[^/]*\//, "");
    return file.type === 2 && !name.startsWith("\u0001")
      ? [{ name, data: Buffer.from(file.content) }]
      : [];
  }).sort(
    (a, b) => Number(b.name === "mimetype") - Number(a.name === "mimetype"),
  );
}

/** The .ods format: a SheetJS-written tracker, then (usually) one of the zip damages. */
export const ODS_FUZZER: FormatFuzzer = {
  extension: "ods",
  async generate(random) {
    const { bytes: written, amounts, notes } = sheetJsTracker(random, "ods");
    const entries = zipEntries(written);
    const bytes = await zipWithDamage(random, entries, notes);
    return { description: notes.join("; ") || "valid", bytes, amounts };
  },
};

/** The compound file header's fields worth lying about: [offset, bytes, what]. */
const COMPOUND_HEADER_FIELDS: [number, 2 | 4, string][] = [
  [0x1e, 2, "sector shift"],
  [0x20, 2, "mini sector shift"],
  [0x2c, 4, "FAT sector count"],
  [0x30, 4, "first directory sector"],
  [0x38, 4, "mini stream cutoff"],
  [0x3c, 4, "first mini FAT sector"],
  [0x40, 4, "mini FAT sector count"],
  [0x44, 4, "first DIFAT sector"],
  [0x48, 4, "DIFAT sector count"],
  [0x4c, 4, "first FAT sector"],
];

/** BIFF8 record types whose length field is worth lying about (BOF, BOUNDSHEET, SST, LABELSST, NUMBER, ROW, DIMENSIONS). */
const BIFF_RECORDS = [0x0809, 0x0085, 0x00fc, 0x00fd, 0x0203, 0x0208, 0x0200];

/** Where a sector starts in a compound file with 512-byte sectors (the header is sector -1). */
const sectorAt = (sector: number) => (sector + 1) * 512;

/** .xls damages: to the compound file's header, FAT and directory, and to the BIFF records inside. */
const XLS_DAMAGES: [
  string,
  (bytes: Buffer, random: Random) => Buffer | string,
][] = [
  ["byte flips", flipBytes],
  ["truncated", truncate],
  [
    "header field",
    (bytes, random) => {
      const [at, size, what] = random.pick(COMPOUND_HEADER_FIELDS);
      const value = random.pick([
        0,
        1,
        7,
        0xfffe,
        0xffffffff,
        0x7fffffff,
        bytes.length,
      ]);
      if (size === 2) bytes.writeUInt16LE(value & 0xffff, at);
      else bytes.writeUInt32LE(value >>> 0, at);
      return `${what} = ${value}`;
    },
  ],
  [
    "FAT chain",
    (bytes, random) => {
      const fat = sectorAt(bytes.readUInt32LE(0x4c));
      const sectors = Math.floor(bytes.length / 512) - 1;
      const k = random.int(Math.max(1, sectors));
      const value = random.pick([
        k,
        Math.max(0, k - 1),
        0xfffffffd,
        sectors + 100,
      ]);
      if (fat + 4 * k + 4 <= bytes.length)
        bytes.writeUInt32LE(value, fat + 4 * k);
      return `FAT entry ${k} = ${value}`;
    },
  ],
  [
    "directory entry",
    (bytes, random) => {
      const directory = sectorAt(bytes.readUInt32LE(0x30));
      const entry = directory + 128 * random.int(3);
      const [at, what] = random.pick([
        [0x40, "name length"],
        [0x44, "left sibling"],
        [0x48, "right sibling"],
        [0x4c, "child"],
        [0x74, "start sector"],
        [0x78, "stream size"],
      ] as const);
      const value = random.pick([0, 1, 200, 0xfffffffe, 0x7fffffff]);
      if (entry + 0x80 > bytes.length) return "directory past the end";
      if (at === 0x40) bytes.writeUInt16LE(value & 0xffff, entry + at);
      else bytes.writeUInt32LE(value >>> 0, entry + at);
      return `directory entry at ${entry}: ${what} = ${value}`;
    },
  ],
  [
    "record length",
    (bytes, random) => {
      const type = random.pick(BIFF_RECORDS);
      const marker = Buffer.alloc(2);
      marker.writeUInt16LE(type);
      const found: number[] = [];
      for (
        let at = bytes.indexOf(marker, 512);
        at >= 0;
        at = bytes.indexOf(marker, at + 1)
      )
        found.push(at);
      if (found.length === 0) return `no record ${type.toString(16)}`;
      const at = random.pick(found);
      const value = random.pick([0, 1, 3, 0xffff, 8224]);
      if (at + 4 <= bytes.length) bytes.writeUInt16LE(value, at + 2);
      return `record ${type.toString(16)} at ${at}: length ${value}`;
    },
  ],
];

/** The .xls format: a SheetJS-written BIFF8 tracker, then (usually) one compound-file or record damage. */
export const XLS_FUZZER: FormatFuzzer = {
  extension: "xls",
  async generate(random) {
    const { bytes: written, amounts, notes } = sheetJsTracker(random, "xls");
    let bytes: Buffer = Buffer.from(written);
    if (random.chance(0.6)) {
      const [kind, damage] = random.pick(XLS_DAMAGES);
      const done = damage(bytes, random);
      if (typeof done === "string") notes.push(`${kind}: ${done}`);
      else {
        bytes = done;
        notes.push(kind);
      }
    }
    return { description: notes.join("; ") || "valid", bytes, amounts };
  },
};

/** Every format the fuzzer writes. */
export const FORMATS: readonly FormatFuzzer[] = [
  XLSX_FUZZER,
  CSV_FUZZER,
  XLS_FUZZER,
  ODS_FUZZER,
];

/** The hostile input of one seed (its format chosen by the seed). Deterministic: same seed, same bytes. */
export async function hostileInput(seed: number): Promise<HostileInput> {
  const format = FORMATS[seed % FORMATS.length]!;
  const input = await format.generate(new Random(seed));
  return { ...input, file: `fuzz-${seed}.${format.extension}` };
}

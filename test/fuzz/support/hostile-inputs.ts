import {
  rawXlsxEntries,
  type RawCell,
} from "../../importers/support/write-raw-xlsx.js";
import {
  zipBytes,
  type ZipEntrySpec,
} from "../../importers/support/write-zip.js";

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

const sheetEntry = (entries: ZipEntrySpec[]) =>
  entries.find((e) => e.name === "xl/worksheets/sheet1.xml")!;

const XML_DAMAGE: [string, (xml: string, random: Random) => string][] = [
  ["unclosed tag", (xml) => xml.replace("</sheetData>", "<row><c>")],
  ["garbage after root", (xml) => xml + "<extra>"],
  ["cut short", (xml, random) => xml.slice(0, random.int(xml.length))],
  [
    "entity expansion (billion laughs)",
    (xml) =>
      xml
        .replace(
          "<worksheet",
          '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><worksheet',
        )
        .replace("Savings tracker", "&lol4;"),
  ],
  [
    "external entity",
    (xml) =>
      xml
        .replace(
          "<worksheet",
          '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><worksheet',
        )
        .replace("Savings tracker", "&xxe;"),
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
      if (trick === 0) entries.push({ ...sheet });
      if (trick === 1)
        entries.splice(
          entries.findIndex((e) => e.name === "xl/workbook.xml"),
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
          "no workbook.xml",
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

/** The .xlsx format: a random tracker with hostile cells, then (usually) one damage. */
export const XLSX_FUZZER: FormatFuzzer = {
  extension: "xlsx",
  async generate(random) {
    const { rows, amounts, notes } = XLSX_ROWS.cells(random);
    const entries = rawXlsxEntries([{ name: "Tracker", rows }], {
      date1904: random.chance(0.1),
    });
    let bytes: Buffer | null = null;
    if (random.chance(0.6)) {
      const [kind, damage] = random.pick(DAMAGES);
      const done = await damage(random, entries);
      if (done) {
        bytes = done.bytes;
        notes.push(`${kind}: ${done.what}`);
      }
    }
    bytes ??= await zipBytes(entries);
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

/** CSV damages: [name, damage, whether the cells still say what was written]. */
const CSV_DAMAGES: [
  string,
  (bytes: Buffer, random: Random) => Buffer,
  boolean,
][] = [
  [
    "byte flips",
    (bytes, random) => {
      const copy = Buffer.from(bytes);
      for (let i = 1 + random.int(6); i > 0; i--) {
        const k = random.int(copy.length);
        copy[k] = copy[k]! ^ (1 + random.int(255));
      }
      return copy;
    },
    false,
  ],
  [
    "truncated",
    (bytes, random) => bytes.subarray(0, random.int(bytes.length)),
    false,
  ],
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

/** Every format the fuzzer writes. */
export const FORMATS: readonly FormatFuzzer[] = [XLSX_FUZZER, CSV_FUZZER];

/** The hostile input of one seed (its format chosen by the seed). Deterministic: same seed, same bytes. */
export async function hostileInput(seed: number): Promise<HostileInput> {
  const format = FORMATS[seed % FORMATS.length]!;
  const input = await format.generate(new Random(seed));
  return { ...input, file: `fuzz-${seed}.${format.extension}` };
}

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { guardWorkbookFile } from "../../importers/guard-workbook-file.js";
import { DEFAULT_IMPORT_LIMITS } from "../../importers/import-limits.js";
import { ProblemCollector } from "../../importers/import-problem.js";
import { sampleWorkbookPaths } from "../../importers/import-sample-data.js";
import { writeZip } from "../../fixtures/write-zip.js";
import { workbookDir } from "./support/write-test-workbook.js";

let dir: string;
beforeAll(() => {
  dir = workbookDir();
});

async function guard(path: string, limits = DEFAULT_IMPORT_LIMITS) {
  const problems = new ProblemCollector("file.xlsx");
  const result = await guardWorkbookFile(path, limits, problems);
  return { result, problems: problems.problems };
}

const WORKBOOK_XML = Buffer.from("<workbook/>");

describe("guarding the door against hostile and broken files", () => {
  it("lets a real workbook through, with its SHA-256", async () => {
    const path = sampleWorkbookPaths()[0]!;
    const { result, problems } = await guard(path);
    expect(problems).toEqual([]);
    expect(result?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result?.inflatedBytes).toBeGreaterThan(result!.bytes);
  });

  it("refuses a zip bomb that admits its size, before inflating anything", async () => {
    const path = join(dir, "declared-bomb.xlsx");
    await writeZip(path, [
      { name: "xl/workbook.xml", data: WORKBOOK_XML },
      { name: "xl/worksheets/sheet1.xml", zeros: 200 * 1024 * 1024 },
    ]);
    const { result, problems } = await guard(path);
    expect(result).toBeNull();
    expect(problems).toMatchObject([{ code: "too-large" }]);
    expect(problems[0]!.message).toMatch(/zip bomb/);
  });

  it("refuses a zip bomb that lies about its size before inflating 100 MB", async () => {
    const path = join(dir, "lying-bomb.xlsx");
    await writeZip(path, [
      { name: "xl/workbook.xml", data: WORKBOOK_XML },
      {
        name: "xl/worksheets/sheet1.xml",
        zeros: 200 * 1024 * 1024,
        declaredSize: 5_000,
      },
    ]);
    const before = process.memoryUsage().rss;
    const { result, problems } = await guard(path);
    expect(result).toBeNull();
    expect(problems).toMatchObject([{ code: "too-large" }]);
    expect(problems[0]!.message).toMatch(/200 to 1/);
    // Inflated data is counted and dropped: memory does not grow by anything like the bomb.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it("refuses more inflated bytes than the limit even at an innocent ratio", async () => {
    const path = join(dir, "big.xlsx");
    await writeZip(path, [
      { name: "xl/workbook.xml", data: WORKBOOK_XML },
      {
        name: "xl/worksheets/sheet1.xml",
        data: Buffer.alloc(300_000, "<row/>"),
        declaredSize: 10,
      },
    ]);
    const { problems } = await guard(path, {
      ...DEFAULT_IMPORT_LIMITS,
      maxInflatedBytes: 100_000,
      maxCompressionRatio: 1e9,
    });
    expect(problems).toMatchObject([{ code: "too-large" }]);
  });

  it("refuses too many zip entries and too large a file", async () => {
    const path = join(dir, "entries.xlsx");
    await writeZip(path, [
      { name: "xl/workbook.xml", data: WORKBOOK_XML },
      ...Array.from({ length: 20 }, (_, i) => ({
        name: `xl/media/${i}.bin`,
        data: Buffer.from("x"),
      })),
    ]);
    expect(
      (await guard(path, { ...DEFAULT_IMPORT_LIMITS, maxZipEntries: 10 }))
        .problems,
    ).toMatchObject([{ code: "too-large" }]);
    expect(
      (await guard(path, { ...DEFAULT_IMPORT_LIMITS, maxFileBytes: 100 }))
        .problems,
    ).toMatchObject([{ code: "too-large" }]);
  });

  it("refuses what is not a workbook, with one clear line each", async () => {
    const cases: [string, Buffer, string, RegExp][] = [
      ["empty.xlsx", Buffer.alloc(0), "empty-file", /empty/],
      [
        "notes.xlsx",
        Buffer.from("<html><body>Service</body></html>"),
        "unreadable-file",
        /is a web page \(HTML\), not a workbook/,
      ],
      [
        "old.xls",
        Buffer.concat([
          Buffer.from("d0cf11e0a1b11ae1", "hex"),
          Buffer.alloc(600),
        ]),
        "unreadable-file",
        /97-2003/,
      ],
      [
        "locked.xlsx",
        Buffer.concat([
          Buffer.from("d0cf11e0a1b11ae1", "hex"),
          Buffer.alloc(100),
          Buffer.from("EncryptionInfo", "utf16le"),
        ]),
        "encrypted-file",
        /password/,
      ],
    ];
    for (const [name, bytes, code, message] of cases) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const { result, problems } = await guard(path);
      expect(result, name).toBeNull();
      expect(problems, name).toHaveLength(1);
      expect(problems[0], name).toMatchObject({ code });
      expect(problems[0]!.message, name).toMatch(message);
    }
  });

  it("refuses a damaged workbook and a zip that is not a workbook", async () => {
    const good = readFileSync(sampleWorkbookPaths()[0]!);
    const cut = join(dir, "cut.xlsx");
    writeFileSync(cut, good.subarray(0, good.length - 100));
    expect((await guard(cut)).problems).toMatchObject([
      { code: "unreadable-file", message: expect.stringMatching(/damaged/) },
    ]);
    const flipped = Buffer.from(good);
    flipped[200] = flipped[200]! ^ 0xff;
    const corrupt = join(dir, "corrupt.xlsx");
    writeFileSync(corrupt, flipped);
    expect((await guard(corrupt)).problems).toMatchObject([
      { code: "unreadable-file" },
    ]);
    const zip = join(dir, "photos.xlsx");
    await writeZip(zip, [{ name: "photo.jpg", data: Buffer.from("jpeg") }]);
    expect((await guard(zip)).problems).toMatchObject([
      {
        code: "unreadable-file",
        message: expect.stringMatching(/not an Excel workbook/),
      },
    ]);
    const locked = join(dir, "zip-locked.xlsx");
    await writeZip(locked, [
      { name: "xl/workbook.xml", data: WORKBOOK_XML, encrypted: true },
    ]);
    expect((await guard(locked)).problems).toMatchObject([
      { code: "encrypted-file" },
    ]);
  });
});

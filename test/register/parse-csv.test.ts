import { describe, expect, it } from "vitest";

import { parseCsv, parseCsvRecords } from "../../register/parse-csv.js";

describe("parseCsv", () => {
  it("keeps commas inside quoted fields", () => {
    expect(
      parseCsv('ABC,"Armagh City, Banbridge and Craigavon",N09000002\n'),
    ).toEqual([["ABC", "Armagh City, Banbridge and Craigavon", "N09000002"]]);
  });

  it("reads doubled quotes inside a quoted field as one quote", () => {
    expect(parseCsv('"He said ""shared"", twice",x')).toEqual([
      ['He said "shared", twice', "x"],
    ]);
  });

  it("keeps line breaks inside quoted fields and accepts CRLF line ends", () => {
    expect(parseCsv('a,"line 1\r\nline 2"\r\nb,c\r\n')).toEqual([
      ["a", "line 1\r\nline 2"],
      ["b", "c"],
    ]);
  });

  it("keeps empty fields, including a trailing one and a quoted empty one", () => {
    expect(parseCsv('a,,""\nb,c,\n')).toEqual([
      ["a", "", ""],
      ["b", "c", ""],
    ]);
  });

  it("drops a byte-order mark and reads a last line without a line break", () => {
    expect(parseCsv("\ufeffx,y\n1,2")).toEqual([
      ["x", "y"],
      ["1", "2"],
    ]);
  });

  it("refuses an unclosed quoted field rather than swallowing the rest of the file", () => {
    expect(() => parseCsv('a,"unclosed\nb,c\n')).toThrow(/not closed/);
  });
});

describe("parseCsvRecords", () => {
  it("keys each row by the header and fills missing trailing fields with empty strings", () => {
    expect(
      parseCsvRecords('code,name,note\nCHE,"Cheshire East, UA"\n'),
    ).toEqual([{ code: "CHE", name: "Cheshire East, UA", note: "" }]);
  });
});

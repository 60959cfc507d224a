import { describe, expect, it } from "vitest";
import { readDate } from "../../importers/coerce-date.js";

describe("reading dates as councils write them", () => {
  it("reads real Excel dates and day-first text", () => {
    expect(readDate(new Date(Date.UTC(2007, 3, 1)))).toEqual({
      kind: "day",
      date: "2007-04-01",
    });
    expect(readDate("01/04/2007")).toEqual({ kind: "day", date: "2007-04-01" });
    expect(readDate("1 April 2007")).toEqual({
      kind: "day",
      date: "2007-04-01",
    });
    expect(readDate("01/06/10")).toEqual({ kind: "day", date: "2010-06-01" });
  });

  it("keeps months and loose wording as written, with the range they mean", () => {
    expect(readDate("April 2007")).toEqual({
      kind: "period",
      text: "April 2007",
      from: "2007-04-01",
      to: "2007-04-30",
    });
    expect(readDate("mid 2007")).toEqual({
      kind: "period",
      text: "mid 2007",
      from: "2007-05-01",
      to: "2007-08-31",
    });
    expect(readDate("Summer 2007")).toEqual({
      kind: "period",
      text: "Summer 2007",
      from: "2007-06-01",
      to: "2007-08-31",
    });
    expect(readDate("by early 2008")).toMatchObject({
      from: "2008-01-01",
      to: "2008-04-30",
    });
    expect(readDate("Winter 2009")).toMatchObject({
      from: "2009-12-01",
      to: "2010-02-28",
    });
    expect(readDate("2014")).toMatchObject({
      from: "2014-01-01",
      to: "2014-12-31",
    });
  });

  it("reads an Excel date serial left without its format, a year as a number, and Jun-10", () => {
    expect(readDate(40330)).toEqual({ kind: "day", date: "2010-06-01" });
    expect(readDate("40269")).toEqual({ kind: "day", date: "2010-04-01" });
    expect(readDate(2007)).toMatchObject({
      kind: "period",
      from: "2007-01-01",
      to: "2007-12-31",
    });
    expect(readDate("Jun-10")).toEqual({
      kind: "period",
      text: "Jun-10",
      from: "2010-06-01",
      to: "2010-06-30",
    });
    // Neither a day nor a year: an amount typed into the date column, or a part of a day.
    expect(readDate(357)).toEqual({ kind: "bad" });
    expect(readDate(40330.5)).toEqual({ kind: "bad" });
    expect(readDate(150000)).toEqual({ kind: "bad" });
  });

  it("reads TBC and blanks as no date, and refuses what is not a date", () => {
    expect(readDate("TBC")).toEqual({ kind: "none" });
    expect(readDate(null)).toEqual({ kind: "none" });
    expect(readDate("31/02/2007")).toEqual({ kind: "bad" });
    expect(readDate("when ready")).toEqual({ kind: "bad" });
  });
});

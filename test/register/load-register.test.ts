import { describe, expect, it } from "vitest";

import {
  CouncilType,
  type CouncilRecord,
} from "../../register/council-record.js";
import { loadCouncilRecords } from "../../register/load-register.js";

const records = loadCouncilRecords();
const byGss = new Map<string, CouncilRecord>(
  records.flatMap((record) =>
    [record.gssCode, ...record.formerGssCodes].map(
      (code) => [code, record] as const,
    ),
  ),
);

function council(gss: string): CouncilRecord {
  const record = byGss.get(gss);
  if (!record) throw new Error(`no council ${gss}`);
  return record;
}

function predecessorsOf(gss: string): string[] {
  return records
    .filter((record) => record.successorGssCodes.includes(gss))
    .map((record) => record.shortName);
}

describe("loadCouncilRecords", () => {
  it("lists only English principal councils, current and former, each GSS code once", () => {
    expect(
      records.every((record) =>
        /^E(06|07|08|09|10)\d{6}$/.test(record.gssCode),
      ),
    ).toBe(true);
    expect(
      records.filter((record) => record.endDate === null).length,
    ).toBeGreaterThan(300);
    expect(
      records.filter((record) => record.endDate !== null).length,
    ).toBeGreaterThan(80);
    const codes = records.flatMap((record) => [
      record.gssCode,
      ...record.formerGssCodes,
    ]);
    expect(new Set(codes).size).toBe(codes.length);
    expect(
      records.some((record) =>
        /combined authority|greater london authority/i.test(
          record.officialName,
        ),
      ),
    ).toBe(false);
  });

  it("includes Congleton, abolished in 2009, with Cheshire East as its successor", () => {
    const congleton = council("E07000014");
    expect(congleton).toMatchObject({
      officialName: "Congleton Borough Council",
      shortName: "Congleton",
      registerCode: null,
      type: CouncilType.NON_METROPOLITAN_DISTRICT,
      endDate: "2009-03-31",
      successorGssCodes: ["E06000049"],
    });
  });

  it("gives Cheshire East the predecessors Congleton, Crewe and Nantwich, Macclesfield and the county", () => {
    expect(council("E06000049").officialName).toBe("Cheshire East Council");
    expect(predecessorsOf("E06000049").sort()).toEqual([
      "Cheshire",
      "Congleton",
      "Crewe and Nantwich",
      "Macclesfield",
    ]);
    expect(predecessorsOf("E06000050").sort()).toEqual([
      "Cheshire",
      "Chester",
      "Ellesmere Port & Neston",
      "Vale Royal",
    ]);
    expect(council("E10000004")).toMatchObject({
      officialName: "Cheshire County Council",
      type: CouncilType.COUNTY,
      successorGssCodes: ["E06000049", "E06000050"],
    });
  });

  it("gives every council abolished in the 2009 reorganisation a successor that exists", () => {
    const abolished2009 = records.filter(
      (record) => record.endDate === "2009-03-31",
    );
    expect(abolished2009.length).toBe(38);
    for (const record of abolished2009)
      expect(
        record.successorGssCodes.length,
        record.officialName,
      ).toBeGreaterThan(0);
    for (const record of records) {
      for (const successor of record.successorGssCodes)
        expect(byGss.get(successor)?.gssCode).toBe(successor);
    }
  });

  it("treats county councils that carried on as 2009 unitaries as the same council under a new code", () => {
    expect(council("E10000005").officialName).toBe("Cornwall Council");
    expect(council("E10000010").officialName).toBe("Durham County Council");
    expect(council("E10000022").gssCode).toBe("E06000057");
    expect(council("E07000002").officialName).toBe("Bedford Borough Council");
    expect(council("E10000005").alternativeNames).toContain(
      "Cornwall County Council",
    );
    expect(predecessorsOf("E06000056").sort()).toEqual([
      "Bedfordshire",
      "Mid Bedfordshire",
      "South Bedfordshire",
    ]);
  });

  it("maps the sui generis City of London and Isles of Scilly to the nearest types", () => {
    expect(council("E09000001").type).toBe(CouncilType.LONDON_BOROUGH);
    expect(council("E06000053")).toMatchObject({
      type: CouncilType.UNITARY,
      formerGssCodes: ["E07000025"],
    });
  });

  it("ends a council the day before its successor starts", () => {
    expect(council("E07000026")).toMatchObject({
      shortName: "Allerdale",
      endDate: "2023-03-31",
    });
    expect(council("E06000063").startDate).toBe("2023-04-01");
  });

  it("keeps alternative names unique and apart from the official and short names", () => {
    for (const record of records) {
      const keys = record.alternativeNames.map((name) => name.toLowerCase());
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).not.toContain(record.officialName.toLowerCase());
      expect(keys).not.toContain(record.shortName.toLowerCase());
    }
    expect(council("E07000112").alternativeNames).toContain(
      "Shepway District Council",
    );
  });
});

import { describe, expect, it } from "vitest";
import { HEADER_SYNONYMS, headerKey } from "../../importers/header-synonyms.js";
import { classifySheet, mapColumns } from "../../importers/map-columns.js";

describe("recognising sheets and columns from the councils' own headers", () => {
  it("matches synonyms whatever the case and punctuation", () => {
    expect(headerKey("Host Authority:")).toBe(headerKey("host authority"));
    expect(headerKey("Saving (£000)")).toBe("saving");
    const map = mapColumns(
      ["Workstream", "Hosted by", "Lead Authority", "Officer"],
      "services",
      undefined,
    );
    expect(map.roles.get("service")).toBe(0);
    expect(map.roles.get("host")).toBe(1);
    expect(map.extra.map((e) => e.header)).toEqual([
      "Lead Authority",
      "Officer",
    ]);
  });

  it("classifies each kind of sheet", () => {
    expect(
      classifySheet(["Service", "Host authority", "Status"], undefined),
    ).toBe("services");
    expect(
      classifySheet(
        ["Council", "Service", "Financial year", "Measure", "Amount"],
        undefined,
      ),
    ).toBe("savings-long");
    expect(
      classifySheet(["Service", "Measure", "2010/11", "2011/12"], undefined),
    ).toBe("savings-wide");
    expect(
      classifySheet(["Body", "Type", "Membership", "Chair"], undefined),
    ).toBe("governance");
    expect(classifySheet(["Funder", "Award", "Purpose"], undefined)).toBe(
      "funding",
    );
    expect(classifySheet(["Name", "Phone"], undefined)).toBeNull();
  });

  it("reads a sheet with a year above its table as a service list when it has a service list's columns, else as a long tracker", () => {
    expect(
      classifySheet(
        ["Service", "Hosted by", "Est. cashable savings p.a."],
        undefined,
        true,
      ),
    ).toBe("services");
    expect(
      classifySheet(["Service", "Estimated saving (£)"], undefined, true),
    ).toBe("savings-long");
    expect(
      classifySheet(
        ["Service", "Hosted by", "Est. cashable savings p.a."],
        undefined,
        false,
      ),
    ).toBe("services");
  });

  it("adds a profile's synonyms and pins columns by letter or header", () => {
    const profile = {
      synonyms: { service: ["Savings proposal"] },
      columns: { C: "host" as const, Officer: "ignore" as const },
    };
    const map = mapColumns(
      ["Savings proposal", "Status", "Who hosts", "Officer"],
      "services",
      profile,
    );
    expect(map.roles.get("service")).toBe(0);
    expect(map.roles.get("host")).toBe(2);
    expect(map.extra).toEqual([]);
  });

  it("documents a synonym for every role", () => {
    for (const [role, list] of Object.entries(HEADER_SYNONYMS))
      expect(list.length, role).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from "vitest";
import { importOptionsFromFields } from "../../server/import-form-fields.js";

describe("POST /imports form fields for a pinned layout", () => {
  it("reads headerRow and column (one answer a line) on top of the mapping field", () => {
    expect(
      importOptionsFromFields({
        mapping: JSON.stringify({ columns: { Officer: "ignore" } }),
        headerRow: "Tracker!4\nServices!2",
        column: "Saving 2010/11=amount\r\nC=host\n",
      }).profile,
    ).toEqual({
      headerRow: { Tracker: 4, Services: 2 },
      columns: { Officer: "ignore", "Saving 2010/11": "amount", C: "host" },
    });
    expect(importOptionsFromFields({ headerRow: "3" }).profile).toEqual({
      headerRow: 3,
    });
    expect(importOptionsFromFields({}).profile).toBeUndefined();
  });

  it("refuses a bad field naming it", () => {
    expect(() => importOptionsFromFields({ headerRow: "top" })).toThrow(
      /^The field headerRow "top" must be a row number/,
    );
    expect(() => importOptionsFromFields({ column: "Officer=chief" })).toThrow(
      /^The field column "Officer=chief": "chief" is not a column role/,
    );
  });
});

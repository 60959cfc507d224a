import { expect, it } from "vitest";
import {
  decodeSavingsCursor,
  encodeSavingsCursor,
  type SavingsKey,
} from "../../../server/pagination/savings-cursor.js";
import { SavingsMeasure } from "../../../schema/savings-measure.js";

const keys: SavingsKey[] = [
  [1, 2010, SavingsMeasure.TARGET, true, 0, 0],
  [123456, 2099, SavingsMeasure.ACHIEVED, false, 403, 17],
  [7, 2015, SavingsMeasure.ESTIMATE, true, 12, 12],
  [2_147_483_647, 2000, SavingsMeasure.FORECAST, false, 0, 2_147_483_647],
];

it("writes a savings cursor as the base64url of its key's JSON, which the cursors given out before read as too", () => {
  for (const key of keys) {
    const json = Buffer.from(`savings:${JSON.stringify(key)}`).toString(
      "base64url",
    );
    expect(encodeSavingsCursor(key)).toBe(json);
    expect(decodeSavingsCursor(encodeSavingsCursor(key))).toEqual(key);
  }
});

it("refuses a cursor whose key is not a savings key", () => {
  const cursor = (text: string) => Buffer.from(text).toString("base64url");
  for (const bad of [
    cursor('savings:[1,2010,"TARGET",true,0]'),
    cursor('savings:[1,2010,"SPENT",true,0,0]'),
    cursor('savings:[1.5,2010,"TARGET",true,0,0]'),
    cursor('offset:[1,2010,"TARGET",true,0,0]'),
    cursor("savings:nonsense"),
  ])
    expect(() => decodeSavingsCursor(bad), bad).toThrow(/not a cursor/);
});

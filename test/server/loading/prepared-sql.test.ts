import { expect, it } from "vitest";
import { preparedText } from "../../../server/loading/prepared-sql.js";

it("numbers the placeholders and binds array[?] as one array parameter", () => {
  const { text, arrays, name } = preparedText(
    "select * from t where a = ? and b = any(array[?]::int[]) limit ?",
  );
  expect(text).toBe(
    "select * from t where a = $1 and b = any($2::int[]) limit $3",
  );
  expect(arrays).toEqual([false, true, false]);
  expect(name).toMatch(/^sshub_[\w-]{20}$/);
});

it("names a statement after its text: the same text the same name, another text another", () => {
  const one = preparedText("select ? as x");
  expect(preparedText("select ? as x").name).toBe(one.name);
  expect(preparedText("select ? as y").name).not.toBe(one.name);
});

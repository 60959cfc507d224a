import { expectTypeOf, it } from "vitest";
import type { ImportReportAnswer } from "../../server/import-route.js";
import type { ImportReport as PageImportReport } from "../../web/src/api/import-report.js";

/** Every field of T, and of the objects and arrays within it, as a path ("sheets.period"). */
type FieldPaths<T, Prefix extends string = ""> = T extends readonly (infer U)[]
  ? FieldPaths<U, Prefix>
  : T extends object
    ? {
        [K in keyof T & string]-?:
          `${Prefix}${K}` | FieldPaths<NonNullable<T[K]>, `${Prefix}${K}.`>;
      }[keyof T & string]
    : never;

// Checked by `npm run check` (tsc over test/): the page's declaration of POST /imports' answer
// (web/src/api/import-report.ts) may not lack a field the server sends, nor name one it does not,
// and every value the server sends must fit it (a new status, a number turned text, fail here).
it("declares on the page exactly the report POST /imports answers with", () => {
  expectTypeOf<FieldPaths<PageImportReport>>().toEqualTypeOf<
    FieldPaths<ImportReportAnswer>
  >();
  expectTypeOf<ImportReportAnswer>().toExtend<PageImportReport>();
});

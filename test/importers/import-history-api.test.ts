import { beforeAll, describe, expect, it } from "vitest";
import { importWorkbook } from "../../importers/import-workbook.js";
import { createTestGraphql, type TestGraphql } from "../support/graphql.js";
import { useTestDatabase } from "../support/test-database.js";
import { figures, longTracker } from "./support/tracker-workbooks.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

const db = useTestDatabase();
let graphql: TestGraphql;
beforeAll(async () => {
  graphql = await createTestGraphql(db.orm);
  const dir = workbookDir();
  await importWorkbook(
    db.orm,
    await writeTestWorkbook(
      dir,
      longTracker("first.xlsx", "June 2008", figures(2)),
    ),
  );
  await importWorkbook(
    db.orm,
    await writeTestWorkbook(
      dir,
      longTracker("second.xlsx", "July 2008", [
        [null, "W", "2007/13", "Achieved", 1],
      ]),
    ),
  );
});

describe("the import history in the API", () => {
  it("lists import runs newest first, with counts and problems, and fetches one by id", async () => {
    const list = await graphql.run<{
      imports: {
        totalCount: number;
        edges: {
          node: {
            id: string;
            fileName: string;
            status: string;
            reportingPeriod: string;
            rowCounts: { sheets: { created: number }[] };
            problems: { code: string; cell: string }[];
          };
        }[];
      };
    }>(
      `{ imports(first: 10) { totalCount edges { node { id fileName status reportingPeriod rowCounts problems } } } }`,
    );
    expect(list.errors).toBeUndefined();
    const nodes = list.data!.imports.edges.map((e) => e.node);
    expect(nodes.map((n) => [n.fileName, n.status, n.reportingPeriod])).toEqual(
      [
        ["second.xlsx", "REFUSED", "2008-07"],
        ["first.xlsx", "IMPORTED", "2008-06"],
      ],
    );
    expect(nodes[0]!.problems).toMatchObject([
      { code: "bad-financial-year", cell: "C6" },
    ]);
    expect(nodes[1]!.rowCounts.sheets[0]!.created).toBeGreaterThan(0);
    const one = await graphql.run<{ import: { fileName: string } }>(
      `query($id: ID!) { import(id: $id) { fileName } }`,
      { id: nodes[1]!.id },
    );
    expect(one.data?.import.fileName).toBe("first.xlsx");
    const refused = await graphql.run<{ imports: { totalCount: number } }>(
      `{ imports(status: REFUSED) { totalCount } }`,
    );
    expect(refused.data?.imports.totalCount).toBe(1);
  });
});

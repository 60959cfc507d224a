import { beforeAll, expect, it } from "vitest";
import { toGlobalId } from "../../schema/global-id.js";
import { createTestGraphql, type TestGraphql } from "../support/graphql.js";
import { useTestDatabase } from "../support/test-database.js";
import { seedHub, type SeededHub } from "./seed-hub.js";

const db = useTestDatabase();
let gql: TestGraphql;
let hub: SeededHub;

beforeAll(async () => {
  gql = await createTestGraphql(db.orm);
  hub = await seedHub(db.orm.em.fork());
});

const BY_COUNCIL = `financialYear measures { measure total { amount }
  byCouncil { council { id gssCode shortName } total { amount } } }`;

async function statementsOf(
  query: string,
  variables?: Record<string, unknown>,
) {
  db.resetQueryLog();
  const result = await gql.run<Record<string, unknown>>(query, variables);
  expect(result.errors).toBeUndefined();
  return { data: result.data!, statements: db.queries.length };
}

it("sums the national summary and names each line's council in one statement", async () => {
  const { data, statements } = await statementsOf(
    `{ savingsSummary(financialYear: "2014/15") { ${BY_COUNCIL} } }`,
  );
  const [year] = data.savingsSummary as {
    measures: { byCouncil: { council: { shortName: string } }[] }[];
  }[];
  expect(
    year!.measures[0]!.byCouncil.map((line) => line.council.shortName),
  ).toEqual([
    "Bolsover",
    "Cheshire East",
    "Chesterfield",
    "North East Derbyshire",
  ]);
  expect(statements).toBe(1);
});

it("reads a partnership's summary with its councils in the partnership's own statement", async () => {
  const { data, statements } = await statementsOf(
    `query ($id: ID!) { partnership(id: $id) { name savingsSummary { ${BY_COUNCIL} } } }`,
    { id: toGlobalId("Partnership", hub.derbyshire.id) },
  );
  const partnership = data.partnership as {
    savingsSummary: {
      measures: { byCouncil: { council: { id: string } }[] }[];
    }[];
  };
  expect(
    partnership.savingsSummary[0]!.measures[0]!.byCouncil.map(
      (line) => line.council.id,
    ),
  ).toEqual(
    [hub.councils.bolsover, hub.councils.chesterfield, hub.councils.ned].map(
      (c) => toGlobalId("Council", c.id),
    ),
  );
  expect(statements).toBe(1);
});

import { beforeAll, describe, expect, it } from "vitest";
import { Council } from "../../../schema/council.js";
import {
  GovernanceBody,
  GovernanceKind,
} from "../../../schema/governance-body.js";
import { Membership, MembershipRole } from "../../../schema/membership.js";
import { Partnership, PartnershipStatus } from "../../../schema/partnership.js";
import { Service, ServiceStatus } from "../../../schema/service.js";
import { offsetCursor } from "../../../server/pagination/connection.js";
import { sqlAnswerPieces } from "../../../server/sql-answers/sql-answer-plan.js";
import { connectPostgres } from "../../../db/connect-postgres.js";
import { openOrm } from "../../../db/open-orm.js";
import { useTestDatabase } from "../../support/test-database.js";
import { createTestGraphql, type TestGraphql } from "../../support/graphql.js";
import { startTestHttp } from "../../support/http.js";

const db = useTestDatabase();
let answered: TestGraphql;
let resolved: TestGraphql;
let councilCode: string;

/**
 * 130 partnerships (names that sort by case and accent, descriptions with quotes, new lines,
 * control characters and emoji; three statuses), each with 0 to 14 services, some without a
 * host council, some with a governing body; memberships for the council filter.
 */
beforeAll(async () => {
  answered = await createTestGraphql(db.orm);
  resolved = await createTestGraphql(db.orm, { sqlAnswers: false });
  const em = db.orm.em.fork();
  const councils = await em.find(
    Council,
    {},
    { orderBy: { gssCode: "asc" }, limit: 40 },
  );
  councilCode = councils[3]!.gssCode;
  const statuses = Object.values(PartnershipStatus);
  const serviceStatuses = [...Object.values(ServiceStatus), null];
  const odd = [
    'Quote "here"',
    "back\\slash",
    "line\nbreak\ttab",
    "control \u0001\u001f",
    "émoji 🚀 ünï",
    "apostrophe's",
    "</script>",
  ];
  for (let p = 0; p < 130; p++) {
    const partnership = em.create(Partnership, {
      name: `${p % 3 === 0 ? "alpha" : p % 3 === 1 ? "Alpha" : "Ålpha"} ${String(p).padStart(3, "0")}`,
      alternativeNames: p % 5 === 0 ? [`Other ${p}`] : [],
      description: p % 4 === 0 ? null : `${odd[p % odd.length]} ${p}`,
      status: statuses[p % statuses.length]!,
    });
    const body =
      p % 4 === 1
        ? em.create(GovernanceBody, {
            name: `Board ${p}`,
            kind: GovernanceKind.JOINT_COMMITTEE,
            partnership,
            chair: p % 8 === 1 ? null : "The chair",
          })
        : null;
    if (p % 7 === 0)
      em.create(Membership, {
        partnership,
        council: councils[3]!,
        role: MembershipRole.MEMBER,
      });
    for (let s = 0; s < p % 15; s++)
      em.create(Service, {
        partnership,
        name: `${s % 2 ? "service" : "Service"} ${String((s * 7) % 15).padStart(2, "0")}`,
        hostCouncil: (p + s) % 4 === 0 ? null : councils[(p + s) % 40]!,
        status: serviceStatuses[s % serviceStatuses.length]!,
        category: s % 3 ? `Back office ${odd[s % odd.length]}` : null,
        notes: s % 5 === 0 ? odd[(p + s) % odd.length]! : null,
        governingBody: s % 2 && body ? body : null,
      });
  }
  await em.flush();
}, 120_000);

/** Runs `query` with the planner and without it; the two answers must be the same text. */
async function same(
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ text: string; byPostgres: boolean }> {
  const fromSql = await answered.run(query, variables);
  const fromResolvers = await resolved.run(query, variables);
  const text = JSON.stringify(fromSql);
  expect(text).toBe(JSON.stringify(fromResolvers));
  // The HTTP answer's text, as PostgreSQL wrote it: byte for byte JSON.stringify's.
  const written = sqlAnswerPieces(fromSql)?.join("");
  if (written !== undefined) expect(written).toBe(text);
  return { text, byPostgres: written !== undefined };
}

const DEEP_LIST = `{ partnerships(first: 100) { totalCount edges { cursor node { id name
  services(first: 10) { totalCount edges { node { id name hostCouncil { id gssCode shortName } } } } } } } }`;

describe("answers PostgreSQL builds whole", () => {
  it("answers the deep list in one statement, the same text as the resolvers", async () => {
    db.resetQueryLog();
    await answered.run(DEEP_LIST);
    expect(db.queries).toHaveLength(1);
    const { text, byPostgres } = await same(DEEP_LIST);
    expect(byPostgres).toBe(true);
    expect(text).toContain('"hostCouncil":null');
  });

  it("sends the deep list over HTTP as the bytes JSON.stringify makes of the resolvers' answer", async () => {
    const http = await startTestHttp(db.orm);
    try {
      const response = await fetch(`${http.base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: DEEP_LIST }),
      });
      const body = Buffer.from(await response.arrayBuffer());
      const expected = Buffer.from(
        JSON.stringify(await resolved.run(DEEP_LIST)),
      );
      // Long enough to come in several pieces.
      expect(body.length).toBeGreaterThan(70_000);
      expect(body.equals(expected)).toBe(true);
      expect(response.headers.get("content-length")).toBe(String(body.length));
    } finally {
      await http.close();
    }
  });

  const covered: [string, string, Record<string, unknown>?][] = [
    [
      "every page field, every plain field, __typename on every object",
      `{ __typename partnerships(first: 40) { __typename totalCount
        pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
        edges { __typename cursor node { __typename id name description status
          services(first: 6) { __typename totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { __typename cursor node { __typename id name category status statusText hostRole notes
              hostCouncil { __typename id gssCode registerCode officialName shortName type }
              governingBody { __typename id name kind chair notes }
              partnership { __typename id name status } } } } } } } }`,
    ],
    [
      "aliases, the same list twice with different arguments, fields in another order",
      `{ list: partnerships(first: 3, after: "${offsetCursor(4)}") { count: totalCount items: edges { at: cursor n: node { name key: id
          first: services(first: 1) { edges { node { name } } }
          rest: services(first: 5, after: "${offsetCursor(0)}") { pageInfo { start: startCursor more: hasNextPage } edges { node { title: name } } } } } } }`,
    ],
    [
      "inline fragments and named fragments on the object's own type and its interface, merged with fields",
      `query Page { partnerships(first: 4) { ...Conn edges { node { ... on Partnership { status } ...Named ... on Node { id } } } } }
       fragment Conn on PartnershipConnection { totalCount edges { cursor node { name } } }
       fragment Named on Partnership { name description services(first: 2) { edges { node { ... { id name } } } } }`,
    ],
    [
      "first: 0",
      `{ partnerships(first: 0) { totalCount edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
    ],
    [
      "a page past the end, and a service list past its end",
      `{ partnerships(first: 5, after: "${offsetCursor(500)}") { totalCount edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
       }`,
    ],
    [
      "the last page",
      `{ partnerships(first: 20, after: "${offsetCursor(119)}") { totalCount edges { cursor node { name services(first: 100, after: "${offsetCursor(9)}") { totalCount edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } pageInfo { hasNextPage endCursor } } }`,
    ],
    [
      "the default page size",
      `{ partnerships { totalCount edges { node { name services { totalCount edges { node { name } } } } } } }`,
    ],
    [
      "variables for the arguments, filtered by status and search",
      `query ($first: Int, $after: String, $status: PartnershipStatus, $search: String, $n: Int) {
        partnerships(first: $first, after: $after, status: $status, search: $search) { totalCount
          edges { cursor node { name status services(first: $n) { totalCount edges { node { name } } } } } } }`,
      {
        first: 10,
        after: offsetCursor(2),
        status: "PROPOSED",
        search: "alpha",
        n: 2,
      },
    ],
    [
      "a search matching quotes and percent signs literally",
      `query ($search: String) { partnerships(search: $search) { totalCount edges { node { name description } } } }`,
      { search: '"here"' },
    ],
    [
      "a search matching nothing",
      `query ($search: String) { partnerships(search: $search) { totalCount edges { node { name } } pageInfo { hasNextPage startCursor } } }`,
      { search: "100%_" },
    ],
    [
      "the council filter",
      `query ($council: String) { partnerships(council: $council) { totalCount edges { node { name } } } }`,
      { council: "__COUNCIL__" },
    ],
  ];
  for (const [what, query, variables] of covered)
    it(`answers ${what} in one statement, the same text as the resolvers`, async () => {
      const withCode =
        variables?.council === "__COUNCIL__"
          ? { ...variables, council: councilCode.toLowerCase() }
          : variables;
      const { text, byPostgres } = await same(query, withCode);
      expect(text).not.toContain('"errors"');
      expect(byPostgres).toBe(true);
      if (what.startsWith("every page field"))
        for (const written of [
          "\\u0001",
          "🚀",
          '\\"here\\"',
          "\\n",
          '"hostCouncil":null',
          '"governingBody":{',
        ])
          expect(text).toContain(written);
    });

  const refused: [string, string, Record<string, unknown>?][] = [
    ["first: 500", `{ partnerships(first: 500) { totalCount } }`],
    [
      "first: 500 on a child list",
      `{ partnerships(first: 2) { edges { node { services(first: 500) { totalCount } } } } }`,
    ],
    ["a bad cursor", `{ partnerships(after: "bm9wZQ") { totalCount } }`],
    [
      "a bad cursor in a variable",
      `query ($after: String) { partnerships(after: $after) { totalCount } }`,
      { after: "not a cursor" },
    ],
    [
      "an unknown council code",
      `{ partnerships(council: "E99999999") { totalCount } }`,
    ],
    [
      "a variable of the wrong type",
      `query ($first: Int) { partnerships(first: $first) { totalCount } }`,
      { first: "ten" },
    ],
    [
      "a negative first",
      `query ($first: Int) { partnerships(first: $first) { totalCount } }`,
      { first: -1 },
    ],
  ];
  for (const [what, query, variables] of refused)
    it(`refuses ${what} with the resolvers' own error`, async () => {
      const { text, byPostgres } = await same(query, variables);
      expect(text).toContain('"errors"');
      expect(byPostgres).toBe(false);
    });

  const fallsBack: [string, string][] = [
    [
      "a field it does not declare (savings)",
      `{ partnerships(first: 2) { edges { node { name savings(first: 1) { totalCount } } } } }`,
    ],
    [
      "a field with a resolver of its own (members)",
      `{ partnerships(first: 2) { edges { node { name members { role } } } } }`,
    ],
    [
      "two root fields",
      `{ a: partnerships(first: 1) { totalCount } b: partnerships(first: 2) { totalCount } }`,
    ],
    [
      "a directive",
      `{ partnerships(first: 3) { totalCount edges @include(if: true) { node { name } } } }`,
    ],
    [
      "a root field it does not declare",
      `{ councils(first: 2) { totalCount } }`,
    ],
  ];
  for (const [what, query] of fallsBack)
    it(`leaves ${what} to the resolvers, the same answer`, async () => {
      const { byPostgres } = await same(query);
      expect(byPostgres).toBe(false);
    });
});

describe("a statement cut off at statement_timeout", () => {
  it("gives the same error answer with the planner as without it", async () => {
    process.env.SSHUB_STATEMENT_TIMEOUT_MS = "300";
    const orm = await openOrm(db.url).finally(
      () => delete process.env.SSHUB_STATEMENT_TIMEOUT_MS,
    );
    const locker = await connectPostgres(db.url);
    try {
      const [withPlanner, without] = await Promise.all([
        createTestGraphql(orm, { production: true }),
        createTestGraphql(orm, { production: true, sqlAnswers: false }),
      ]);
      await locker.query("begin");
      await locker.query(
        "lock table partnership, service, council in access exclusive mode",
      );
      const first = await withPlanner.run(DEEP_LIST);
      const second = await without.run(DEEP_LIST);
      expect(first).toMatchObject({
        data: null,
        errors: [{ path: ["partnerships"], extensions: { code: "TIMED_OUT" } }],
      });
      expect(JSON.stringify(first)).toBe(JSON.stringify(second));
    } finally {
      await locker.query("rollback").catch(() => undefined);
      await locker.end();
      await orm.close();
    }
  }, 30_000);
});

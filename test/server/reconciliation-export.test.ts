import { startTestHttp } from "../support/http.js";
import { nationalFinance } from "../support/callers.js";
import { beforeAll, describe, expect, it } from "vitest";
import {
  HEADER_ROW,
  LINE_HEADERS,
} from "../../reconcile/reconciliation-workbook.js";
import { toGlobalId } from "../../schema/global-id.js";
import type { Partnership } from "../../schema/partnership.js";
import { XLSX_CONTENT_TYPE } from "../../server/export-route.js";
import { DEFAULT_QUERY_LIMITS } from "../../server/query-limits.js";
import {
  BOLSOVER,
  CHESTERFIELD,
  NE_DERBYSHIRE,
  seedSavings,
} from "../reconcile/savings-seed.js";
import { useTestDatabase } from "../support/test-database.js";
import { openWorkbook } from "../reconcile/open-workbook.js";

const db = useTestDatabase();
let base: string;
let partnership: Partnership;

beforeAll(async () => {
  ({ partnership } = await seedSavings(db.orm.em, {
    name: "Export Partnership",
    members: [{ gss: CHESTERFIELD }, { gss: BOLSOVER }, { gss: NE_DERBYSHIRE }],
    figures: [
      { service: "Revenues", amount: "100.00" },
      { service: "Revenues", gss: BOLSOVER, amount: "33.34" },
      { service: "Revenues", gss: CHESTERFIELD, amount: "40.00" },
    ],
  }));
  const http = await startTestHttp(db.orm, {
    callerFor: async () => nationalFinance,
  });
  base = http.base;
  return http.close;
});

describe("GET /exports/reconciliation.xlsx", () => {
  it("serves the reconciliation workbook as an attachment, and records the export in the audit log", async () => {
    const response = await fetch(
      `${base}/exports/reconciliation.xlsx?partnership=${toGlobalId("Partnership", partnership.id)}&year=2009/10&measure=achieved`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(XLSX_CONTENT_TYPE);
    expect(response.headers.get("content-disposition")).toContain(
      'attachment; filename="reconciliation-export-partnership-2009-10.xlsx"',
    );
    const workbook = await openWorkbook(await response.arrayBuffer());
    const sheet = workbook.getWorksheet("Export Partnership")!;
    const status = LINE_HEADERS.indexOf("Status") + 1;
    const [audit] = await db.orm.em.getConnection().execute<
      {
        actor: string;
        details: { via: string; partnerships: { name: string }[] };
      }[]
    >("select actor, details from audit_event where action = 'EXPORT' order by id desc limit 1");
    expect(audit).toMatchObject({
      actor: nationalFinance.name,
      details: { via: "http", partnerships: [{ name: "Export Partnership" }] },
    });
    expect(
      [1, 2, 3].map((i) => [
        sheet.getRow(HEADER_ROW + i).getCell(4).value,
        sheet.getRow(HEADER_ROW + i).getCell(status).value,
      ]),
    ).toEqual([
      [BOLSOVER, "MATCHED"],
      [CHESTERFIELD, "OVER_CLAIMED"],
      [NE_DERBYSHIRE, "MISSING_CLAIM"],
    ]);
  });

  it("answers 400 with a clear message for bad parameters", async () => {
    const cases: [string, RegExp][] = [
      ["year=2009/10", /Say which partnership/],
      ["partnership=Export%20Partnership", /financial year .* required/],
      ["partnership=Export%20Partnership&year=2009", /financial year/],
      [
        "partnership=Export%20Partnership&year=2009/10&measure=guess",
        /measure must be one of/,
      ],
      ["partnership=Export%20Partnership&year=2009/10&asOf=2010-13", /YYYY-MM/],
      [
        "partnership=Export%20Partnership&year=2009/10&tolerance=lots",
        /tolerance/,
      ],
      [
        "partnership=Export%00Partnership&year=2009/10",
        /query parameter "partnership" holds a NUL character/,
      ],
      [
        `partnership=${"x".repeat(1001)}&year=2009/10`,
        /query parameter "partnership" is 1001 characters long/,
      ],
      [
        "partnership=Export%20Partnership&year=2009/10&measure=%00",
        /query parameter "measure" holds a NUL/,
      ],
    ];
    for (const [search, message] of cases) {
      const response = await fetch(
        `${base}/exports/reconciliation.xlsx?${search}`,
      );
      expect(response.status, search).toBe(400);
      const body = (await response.json()) as {
        errors: { message: string; extensions: { code: string } }[];
      };
      expect(body.errors[0]!.extensions.code).toBe("BAD_USER_INPUT");
      expect(body.errors[0]!.message, search).toMatch(message);
    }
  });

  it("holds its parameters to the server's string limit, the one GraphQL's strings have", async () => {
    const http = await startTestHttp(db.orm, {
      callerFor: async () => nationalFinance,
      queryLimits: { ...DEFAULT_QUERY_LIMITS, maxStringLength: 20 },
    });
    try {
      const response = await fetch(
        `${http.base}/exports/reconciliation.xlsx?partnership=${"x".repeat(21)}&year=2009/10`,
      );
      expect(response.status).toBe(400);
      const body = (await response.json()) as {
        errors: { message: string }[];
      };
      expect(body.errors[0]!.message).toMatch(
        /"partnership" is 21 characters long; the most allowed is 20/,
      );
      const graphql = await fetch(`${http.base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `{ council(code: "${"x".repeat(21)}") { gssCode } }`,
        }),
      });
      expect(JSON.stringify(await graphql.json())).toMatch(
        /21 characters long; the most allowed is 20/,
      );
    } finally {
      await http.close();
    }
  });

  it("answers 404 for an unknown partnership and 405 for other methods", async () => {
    const missing = await fetch(
      `${base}/exports/reconciliation.xlsx?partnership=Nowhere&year=2009/10`,
    );
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      errors: [
        {
          message: 'No partnership has the name or id "Nowhere".',
          extensions: { code: "NOT_FOUND" },
        },
      ],
    });
    const post = await fetch(
      `${base}/exports/reconciliation.xlsx?partnership=1&year=2009/10`,
      { method: "POST" },
    );
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/test-database.js";
import { createTestGraphql, type TestGraphql } from "../support/graphql.js";

const db = useTestDatabase();
let gql: TestGraphql;

beforeAll(async () => {
  gql = await createTestGraphql(db.orm);
});

type CouncilData = {
  council: {
    gssCode: string;
    registerCode: string | null;
    officialName: string;
    type: string;
    current: boolean;
    predecessors: {
      gssCode: string;
      officialName: string;
      endDate: string | null;
    }[];
    successors: { gssCode: string }[];
  };
};

describe("council(code:)", () => {
  const query = `query ($code: String!) {
    council(code: $code) {
      gssCode registerCode officialName type current
      predecessors { gssCode officialName endDate }
      successors { gssCode }
    }
  }`;

  it("answers Cheshire East Council with Congleton among its predecessors", async () => {
    const result = await gql.run<CouncilData>(query, { code: "E06000049" });
    expect(result.errors).toBeUndefined();
    const council = result.data!.council;
    expect(council.officialName).toBe("Cheshire East Council");
    expect(council.type).toBe("UNITARY");
    expect(council.current).toBe(true);
    const names = council.predecessors.map((p) => p.officialName);
    expect(names.some((n) => n.startsWith("Congleton"))).toBe(true);
    expect(names.some((n) => n.startsWith("Crewe and Nantwich"))).toBe(true);
    expect(names.some((n) => n.startsWith("Macclesfield"))).toBe(true);
    expect(council.predecessors.every((p) => p.endDate === "2009-03-31")).toBe(
      true,
    );
  });

  it("links Congleton forward to Cheshire East", async () => {
    const result = await gql.run<CouncilData>(query, { code: "E07000014" });
    expect(result.errors).toBeUndefined();
    expect(result.data!.council.current).toBe(false);
    expect(result.data!.council.successors.map((s) => s.gssCode)).toEqual([
      "E06000049",
    ]);
  });

  it("finds a council by its 3-letter register code in any case", async () => {
    const result = await gql.run<CouncilData>(query, { code: "chs" });
    expect(result.data!.council.officialName).toBe(
      "Chesterfield Borough Council",
    );
  });

  it("answers an unknown code with NOT_FOUND", async () => {
    const result = await gql.run(query, { code: "E99999999" });
    expect(result.data).toBeNull();
    expect(result.errors![0]!.extensions!.code).toBe("NOT_FOUND");
    expect(result.errors![0]!.message).toContain("E99999999");
  });

  it("loads successors and predecessors of a whole page in a fixed number of statements", async () => {
    const pageQuery = (first: number) =>
      `{ councils(first: ${first}) { edges { node { gssCode successors { gssCode } predecessors { gssCode } } } } }`;
    db.resetQueryLog();
    await gql.run(pageQuery(5));
    const small = db.queries.length;
    db.resetQueryLog();
    const result = await gql.run(pageQuery(100));
    expect(result.errors).toBeUndefined();
    expect(db.queries.length).toBe(small);
  });
});

describe("councils", () => {
  type Page = {
    councils: {
      totalCount: number;
      edges: { cursor: string; node: { gssCode: string; shortName: string } }[];
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        endCursor: string | null;
      };
    };
  };
  const query = `query ($search: String, $current: Boolean, $first: Int, $after: String) {
    councils(search: $search, current: $current, first: $first, after: $after) {
      totalCount
      edges { cursor node { gssCode shortName } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
  }`;

  it("searches official, short and alternative names and codes, any case", async () => {
    const byName = await gql.run<Page>(query, { search: "cheshire" });
    const codes = byName.data!.councils.edges.map((e) => e.node.gssCode);
    expect(codes).toEqual(
      expect.arrayContaining(["E06000049", "E06000050", "E10000004"]),
    );
    const byCode = await gql.run<Page>(query, { search: "e06000049" });
    expect(byCode.data!.councils.edges.map((e) => e.node.gssCode)).toEqual([
      "E06000049",
    ]);
  });

  it("filters current and former councils", async () => {
    const former = await gql.run<Page>(query, {
      search: "Congleton",
      current: false,
    });
    expect(former.data!.councils.edges.map((e) => e.node.gssCode)).toEqual([
      "E07000014",
    ]);
    const current = await gql.run<Page>(query, {
      search: "Congleton",
      current: true,
    });
    expect(current.data!.councils.totalCount).toBe(0);
  });

  it("pages through every council without gaps or repeats, in a stable order", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 20; page++) {
      const result: Awaited<ReturnType<typeof gql.run<Page>>> =
        await gql.run<Page>(query, { first: 100, after });
      const data = result.data!.councils;
      total = data.totalCount;
      seen.push(...data.edges.map((e) => e.node.gssCode));
      expect(data.pageInfo.hasPreviousPage).toBe(page > 0);
      if (!data.pageInfo.hasNextPage) break;
      after = data.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThan(330);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
  });

  it("refuses a page larger than the documented maximum with BAD_USER_INPUT", async () => {
    const result = await gql.run(query, { first: 101 });
    expect(result.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
  });

  it("refuses a cursor it did not give out with BAD_USER_INPUT", async () => {
    const result = await gql.run(query, { after: "not-a-cursor" });
    expect(result.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
  });
});

import { stripVTControlCharacters } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { importWorkbook } from "../../importers/import-workbook.js";
import { Council } from "../../schema/council.js";
import { FundingAward } from "../../schema/funding-award.js";
import {
  GovernanceBody,
  GovernanceKind,
} from "../../schema/governance-body.js";
import { GovernanceSeat } from "../../schema/governance-seat.js";
import { Partnership, PartnershipStatus } from "../../schema/partnership.js";
import { useTestDatabase } from "../support/test-database.js";
import {
  workbookDir,
  writeTestWorkbook,
} from "./support/write-test-workbook.js";

const db = useTestDatabase();
const dir = workbookDir();

/** 40 other partnerships, each with a board holding two seats and a funding award. */
beforeAll(async () => {
  const em = db.orm.em.fork();
  const councils = await em.find(
    Council,
    { endDate: null },
    { orderBy: { gssCode: "asc" }, limit: 80 },
  );
  for (let p = 0; p < 40; p++) {
    const partnership = em.create(Partnership, {
      name: `Other partnership ${p}`,
      status: PartnershipStatus.ACTIVE,
      alternativeNames: [],
    });
    const body = em.create(GovernanceBody, {
      partnership,
      name: "Joint Board",
      kind: GovernanceKind.JOINT_BOARD,
    });
    for (const council of councils.slice(2 * p, 2 * p + 2))
      em.create(GovernanceSeat, { body, council, seats: 2 });
    em.create(FundingAward, {
      partnership,
      funder: "Improvement Fund",
      amount: "1000.00",
    });
  }
  await em.flush();
}, 120_000);

/** A workbook of one partnership's governance list and funding list. */
function lists(file: string, seats: number, award: string) {
  return writeTestWorkbook(dir, {
    file,
    sheets: [
      {
        name: "Governance",
        title: [["Partnership: Cheshire Back Office Test"]],
        header: ["Body", "Type", "Membership", "Representation"],
        rows: [
          [
            "Shared Services Joint Committee",
            "Joint committee",
            `Cheshire East: ${seats}; Cheshire West and Chester: ${seats}`,
            "Elected members",
          ],
          [
            "Officer Steering Group",
            "Steering group",
            "Cheshire East: 1; Cheshire West and Chester: 1",
            "Directors",
          ],
        ],
      },
      {
        name: "Funding",
        title: [["Partnership: Cheshire Back Office Test"]],
        header: ["Funder", "Amount awarded", "Purpose"],
        rows: [
          ["Improvement Fund", award, "Business case"],
          ["Transformation Challenge Fund", "£500,000", "ICT"],
        ],
      },
    ],
  });
}

/** The statements since the log was reset that read from a table, with the rows each returned. */
function selectsFrom(table: string): { sql: string; rows: number }[] {
  return db.queries
    .map((q) => stripVTControlCharacters(q).replace(/^\[query\]\s*/, ""))
    .filter((q) => q.startsWith("select ") && q.includes(` from "${table}"`))
    .map((sql) => ({
      sql,
      rows: Number(/\[took [^,\]]*, (\d+) results?\]/.exec(sql)?.[1] ?? NaN),
    }));
}

describe("writing governance and funding lists", () => {
  it("reads only the seats and awards of what the sheets name, and updates them in place the next month", async () => {
    const first = await importWorkbook(
      db.orm,
      await lists("lists-june.xlsx", 3, "£100,000"),
    );
    expect(first.errorCount, JSON.stringify(first.problems)).toBe(0);
    db.resetQueryLog();
    const second = await importWorkbook(
      db.orm,
      await lists("lists-july.xlsx", 4, "£120,000"),
    );
    expect(second.errorCount, JSON.stringify(second.problems)).toBe(0);
    const em = db.orm.em.fork();
    const partnership = await em.findOneOrFail(Partnership, {
      name: "Cheshire Back Office Test",
    });
    // One statement each, reading only this partnership's 4 seats and 2 awards, not the 40 others'.
    expect(selectsFrom("governance_seat")).toMatchObject([
      { sql: expect.stringContaining(`"body_id" in (?, ?)`), rows: 4 },
    ]);
    expect(selectsFrom("funding_award")).toMatchObject([
      { sql: expect.stringContaining(`"partnership_id" in (?)`), rows: 2 },
    ]);
    // Updated, not written twice.
    const seats = await em.find(
      GovernanceSeat,
      { body: { partnership } },
      { populate: ["council", "body"], orderBy: { id: "asc" } },
    );
    expect(seats.map((s) => [s.body.name, s.council.gssCode, s.seats])).toEqual(
      [
        ["Shared Services Joint Committee", "E06000049", 4],
        ["Shared Services Joint Committee", "E06000050", 4],
        ["Officer Steering Group", "E06000049", 1],
        ["Officer Steering Group", "E06000050", 1],
      ],
    );
    const awards = await em.find(
      FundingAward,
      { partnership },
      { orderBy: { id: "asc" } },
    );
    expect(awards.map((a) => [a.funder, a.amount])).toEqual([
      ["Improvement Fund", "120000.00"],
      ["Transformation Challenge Fund", "500000.00"],
    ]);
    expect(
      second.sheets.map((s) => [s.sheet, s.created, s.updated, s.unchanged]),
    ).toEqual([
      ["Governance", 0, 2, 2 + 2], // the two bodies and the steering group's seats
      ["Funding", 0, 1, 1],
    ]);
  });
});

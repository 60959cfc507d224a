import { describe, expect, it } from "vitest";
import { executeBound } from "../../importers/bound-statement.js";
import { FigureChunk } from "../../importers/figure-chunk.js";
import { MAX_AMOUNT_PENCE } from "../../importers/import-limits.js";
import { SavingsRows } from "../../importers/savings-rows.js";
import type { Service } from "../../schema/service.js";
import { useTestDatabase } from "../support/test-database.js";

// A chunk's figures as the bulk write binds them, read back by PostgreSQL: past the arrays' first
// growth, with partnership totals (no council), RAG texts and unknown columns on some rows only.

const db = useTestDatabase();

/** Two services of two partnerships, as stored ones are (their ids known). */
const services = [
  { id: 11, partnership: { id: 1 } },
  { id: 12, partnership: { id: 2 } },
] as unknown as Service[];

const N = 2_500;

function figure(i: number) {
  return {
    row: i + 2,
    column: i % 3,
    service: `service ${i % 2}`,
    partnership: null,
    council: null,
    year: 2010 + (i % 5),
    measure: i % 4,
    cashable: i % 2 === 0,
    pence:
      i === 7
        ? MAX_AMOUNT_PENCE
        : i === 8
          ? -MAX_AMOUNT_PENCE
          : BigInt(i) * 101n,
    rag: i % 10 === 0 ? null : ["Green", "Amber", "Red"][i % 3]!,
    extra: i % 1000 === 5 ? JSON.stringify({ Note: `row ${i}` }) : null,
  };
}

describe("a chunk of figures", () => {
  it("binds each figure's row, cell, service, council, year, measure, pence, RAG and unknown columns as PostgreSQL reads them", async () => {
    const rows = new SavingsRows();
    for (let i = 0; i < N; i++) rows.push(figure(i));
    const chunk = new FigureChunk();
    // Every third figure is the partnership's total: no council.
    for (let i = 0; i < N; i++)
      chunk.push(rows, i, services[i % 2]!, i % 3 === 0 ? null : 100 + (i % 7));
    expect(chunk.length).toBe(N);
    expect(chunk.references()).toEqual({
      services: new Set([11, 12]),
      councils: new Set([100, 101, 102, 103, 104, 105, 106]),
    });
    const arrays = chunk.arrays();
    expect(arrays.columnLetters).toEqual(["A", "B", "C"]);
    const [read] = await db.orm.em.fork().transactional((em) =>
      executeBound<Record<string, unknown[]>>(
        em,
        `select $1::int[] as row, $2::int[] as col, $3::int[] as service, $4::int[] as partnership,
                $5::int[] as council, $6::smallint[] as year, $7::smallint[] as measure,
                $8::smallint[] as cashable, $9::int8[]::text[] as pence, $10::int[] as rag`,
        [
          arrays.row,
          arrays.col,
          arrays.service_id,
          arrays.partnership_id,
          arrays.council_id,
          arrays.year,
          arrays.measure,
          arrays.cashable,
          arrays.pence,
          arrays.rag,
        ],
      ),
    );
    const expected = Array.from({ length: N }, (_, i) => figure(i));
    expect(read).toEqual({
      row: expected.map((f) => f.row),
      col: expected.map((f) => f.column),
      service: expected.map((_, i) => (i % 2 === 0 ? 11 : 12)),
      partnership: expected.map((_, i) => (i % 2 === 0 ? 1 : 2)),
      council: expected.map((_, i) => (i % 3 === 0 ? null : 100 + (i % 7))),
      year: expected.map((f) => f.year),
      measure: expected.map((f) => f.measure),
      cashable: expected.map((f) => (f.cashable ? 1 : 0)),
      pence: expected.map((f) => String(f.pence)),
      rag: expected.map((f) => (f.rag === null ? -1 : expect.any(Number))),
    });
    // Each RAG text once, and each figure's index pointing at its own text.
    expect([...arrays.ragTexts].sort()).toEqual(["Amber", "Green", "Red"]);
    (read!.rag as number[]).forEach((k, i) => {
      if (k >= 0)
        expect(arrays.ragTexts[k], `figure ${i}`).toBe(expected[i]!.rag);
    });
    // Unknown columns only where a figure had any; null for the others.
    expect(arrays.extra).toHaveLength(N);
    expect(
      arrays.extra!.flatMap((json, i) => (json === null ? [] : [[i, json]])),
    ).toEqual(
      [5, 1005, 2005].map((i) => [i, JSON.stringify({ Note: `row ${i}` })]),
    );
  });

  it("binds no unknown columns when no figure has any", () => {
    const rows = new SavingsRows();
    rows.push({ ...figure(1), extra: null });
    const chunk = new FigureChunk();
    chunk.push(rows, 0, services[0]!, null);
    expect(chunk.arrays().extra).toBeNull();
  });
});

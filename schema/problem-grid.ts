import { Field, Int, ObjectType } from "type-graphql";

/** One row of a problem grid: its worksheet row number and the cells shown, as the importer read them. */
@ObjectType({
  description:
    "One row of a problem grid: its worksheet row number and the text of the cells shown.",
})
export class ProblemGridRow {
  @Field(() => Int, { description: "The worksheet row number (1-based)." })
  row!: number;

  @Field(() => [String], {
    nullable: "items",
    description:
      "The text of each cell shown, in the order of the grid's `columns`; null for an empty cell.",
  })
  cells!: (string | null)[];
}

/**
 * The cells of one sheet around its problems (the whole sheet when it is small), as the importer
 * read them: what the page draws with the problem cells highlighted, the same places
 * `--problems-xlsx` marks. Bounded in size (see importers/problem-grids.ts).
 */
@ObjectType({
  description:
    "The cells of one sheet around its problems (the whole sheet when it is small), as the importer read them; problems whose cell is outside the grid are counted in `omittedProblems`.",
})
export class ProblemGrid {
  @Field(() => String, { description: "The sheet's name." })
  sheet!: string;

  @Field(() => [String], {
    description:
      'The columns shown, as letters ("A", "B", …), in order; a jump between two means columns left out.',
  })
  columns!: string[];

  @Field(() => [ProblemGridRow], {
    description:
      "The rows shown, in order; a jump between two row numbers means rows left out.",
  })
  rows!: ProblemGridRow[];

  @Field(() => Int, {
    nullable: true,
    description: "The header row the importer found on this sheet, if any.",
  })
  headerRow!: number | null;

  @Field(() => Boolean, {
    description: "True when the grid holds the whole sheet.",
  })
  wholeSheet!: boolean;

  @Field(() => Int, {
    description:
      "Problems of this sheet with a cell that the grid leaves out (too many to show).",
  })
  omittedProblems!: number;
}

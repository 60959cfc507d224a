import type { AccessScope } from "../auth/access-scope.js";
import { parseReportingPeriodArgument } from "../../schema/reporting-period.js";
import type { EntityManager } from "@mikro-orm/postgresql";
import { ArgsType, Field, Int } from "type-graphql";
import { NotFoundError } from "../../errors/hub-error.js";
import { Council } from "../../schema/council.js";
import { FinancialYearScalar } from "../../schema/financial-year.js";
import { fromGlobalId } from "../../schema/global-id.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { SavingsSourceFilter } from "../../schema/savings-figure-key.js";
import { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from "../pagination/connection.js";
import type { SavingsFilter } from "../loading/savings-queries.js";

/** Forward pagination of a Relay connection. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Page size: 0 to ${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}. Larger values are refused with BAD_USER_INPUT.`,
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Cursor of the item after which the page starts (an `endCursor` or edge `cursor` this list gave out).",
  })
  after?: string | null;
}

/** Filters shared by every savings list. */
@ArgsType()
export class SavingsFilterArgs extends PageArgs {
  @Field(() => FinancialYearScalar, {
    nullable: true,
    description: 'Only figures for this financial year, e.g. "2014/15".',
  })
  financialYear?: number | null;

  @Field(() => SavingsMeasure, {
    nullable: true,
    description: "Only figures of this measure.",
  })
  measure?: SavingsMeasure | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "True: only cashable savings; false: only non-cashable.",
  })
  cashable?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Reporting period (YYYY-MM): each figure as last reported in or before that month. Default: as last reported. Figures first reported later are left out. E.g. "2015-03".',
  })
  asOf?: string | null;

  @Field(() => SavingsSourceFilter, {
    nullable: true,
    defaultValue: SavingsSourceFilter.ANY,
    description:
      "Whose reports: OWN (councils' own claims), HOST (another council's, the host's, report of a council's share or the total), PARTNERSHIP (the partnership's own tracker), or ANY. Default ANY: each source's latest report of a figure is its own item (see `reportedBy` and `source`), so a claim and the host's breakdown for the same council both show, and a list holding one source per figure reads as before.",
  })
  source?: SavingsSourceFilter | null;
}

/** The savings filter of the shared savings arguments. */
export function savingsFilterOf(
  args: SavingsFilterArgs,
  scope: AccessScope,
): SavingsFilter {
  return {
    scope,
    financialYear: args.financialYear ?? null,
    measure: args.measure ?? null,
    cashable: args.cashable ?? null,
    asOf: parseReportingPeriodArgument(args.asOf, "asOf"),
    source: args.source ?? SavingsSourceFilter.ANY,
  };
}

/** The database id behind a global id argument of the expected type, or null when not given. */
export function idArgument(
  value: string | null | undefined,
  type: string,
): number | null {
  return value == null ? null : fromGlobalId(value, type).id;
}

/** The id of the council with this GSS or register code (any case); NOT_FOUND when none has it. */
export async function councilIdByCode(
  em: EntityManager,
  code: string,
): Promise<number> {
  const wanted = code.trim().toUpperCase();
  const council = await em.findOne(Council, {
    $or: [{ gssCode: wanted }, { registerCode: wanted }],
  });
  if (!council) throw NotFoundError.councilCode(code);
  return council.id;
}

/** Description of a filter argument that takes a council's code. */
export const COUNCIL_CODE_ARGUMENT =
  "A council's GSS code (e.g. E06000049) or 3-letter register code, any case; NOT_FOUND when no council has it.";

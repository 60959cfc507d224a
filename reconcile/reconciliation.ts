import type { Council } from "../schema/council.js";
import type { ImportRun } from "../schema/import-run.js";
import type { Membership } from "../schema/membership.js";
import type { Partnership } from "../schema/partnership.js";
import type { SavingsFigure } from "../schema/savings-figure.js";
import type { SavingsMeasure } from "../schema/savings-measure.js";
import type { Service } from "../schema/service.js";
import type { ReconciliationStatus } from "./reconciliation-status.js";
import type { ShareBasis } from "./share-basis.js";

/** One council's figure for one service and kind (cashable or not) beside its expected share. */
export interface ReconciliationLine {
  partnership: Partnership;
  service: Service;
  council: Council;
  cashable: boolean;
  /** The council's membership in force in the year; null for a non-member. */
  membership: Membership | null;
  /** REPORTED where the host's breakdown gives the share, else AGREED or EQUAL for members sharing a total; null without a share. */
  shareBasis: ShareBasis | null;
  /** The percentage of the total applied (four decimals); null where no share was worked out. */
  appliedPercent: string | null;
  /** The partnership's total for the service, in pence; null where it reports none. */
  totalPence: bigint | null;
  expectedPence: bigint | null;
  claimedPence: bigint | null;
  /** Claimed minus expected; null when either is missing (the status says which). */
  variancePence: bigint | null;
  status: ReconciliationStatus;
  /** Why the line reads as it does ("Equal share: no cost share agreed"), or null. */
  note: string | null;
  totalFigure: SavingsFigure | null;
  /** The council's own report (source OWN): its claim. */
  claimFigure: SavingsFigure | null;
  /** The host's or partnership's report of the council's share, where one gave the expected share. */
  shareFigure: SavingsFigure | null;
}

/** A service's total against the sum of the claims on it, for one kind (cashable or not). */
export interface ServiceTotal {
  partnership: Partnership;
  service: Service;
  cashable: boolean;
  /** Null where the partnership reports no total for the service. */
  totalPence: bigint | null;
  /** Every council's claim, members and non-members alike. */
  claimedPence: bigint;
  /** Claimed minus total; null without a total. */
  differencePence: bigint | null;
  /** There are claims and they add up to more than the total: some saving is counted twice. */
  doubleCounting: boolean;
  /** The total used: the latest month's, the partnership's own before the host's. */
  totalFigure: SavingsFigure | null;
  /** Other sources' reports of the total, not used but shown beside it (preferred first). */
  otherTotalFigures: SavingsFigure[];
}

/** A partnership's totals for one kind (cashable or not), across its services. */
export interface KindTotal {
  cashable: boolean;
  /** The sum of the services' totals. */
  totalPence: bigint;
  /** Claims on services that have a total, to set against `totalPence`. */
  claimedPence: bigint;
  /** Claims on services without a total (CLAIM_WITHOUT_TOTAL and non-members there). */
  claimedWithoutTotalPence: bigint;
  /** `claimedPence` minus `totalPence`. */
  differencePence: bigint;
  /** At least one service's claims exceed its total. */
  doubleCounting: boolean;
}

/** What a reconciliation was asked for. */
export interface ReconciliationQuery {
  financialYear: number;
  measure: SavingsMeasure;
  /** The latest reporting period (YYYY-MM) to use; null for the latest there is. */
  asOf: string | null;
  /** Claims within this many pence of the expected share are MATCHED. */
  tolerancePence: bigint;
}

/** A partnership's savings for a year and measure, reconciled line by line. */
export interface PartnershipReconciliation extends ReconciliationQuery {
  partnership: Partnership;
  /** The latest reporting period among the figures used; null when there were none. */
  latestPeriod: string | null;
  lines: ReconciliationLine[];
  services: ServiceTotal[];
  /** Cashable first, then non-cashable. */
  totals: KindTotal[];
  doubleCounting: boolean;
  /** The import runs the figures used came from, oldest first. */
  importRuns: ImportRun[];
  /** Things a finance officer should know, e.g. agreed shares that do not add up to 100%. */
  warnings: string[];
}

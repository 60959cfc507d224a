import type { EntityManager } from "@mikro-orm/postgresql";
import { Council } from "../../schema/council.js";
import { FundingAward } from "../../schema/funding-award.js";
import {
  GovernanceBody,
  GovernanceKind,
} from "../../schema/governance-body.js";
import { GovernanceSeat } from "../../schema/governance-seat.js";
import { ImportRun, ImportStatus } from "../../schema/import-run.js";
import { Membership, MembershipRole } from "../../schema/membership.js";
import { Partnership, PartnershipStatus } from "../../schema/partnership.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { Service, ServiceStatus } from "../../schema/service.js";

/** The objects `seedHub` made, by what the tests call them. */
export interface SeededHub {
  run: ImportRun;
  councils: Record<
    "chesterfield" | "bolsover" | "ned" | "cheshireEast" | "cheshireWest",
    Council
  >;
  derbyshire: Partnership;
  cheshire: Partnership;
  jointCommittee: GovernanceBody;
  revenues: Service;
  ict: Service;
  legal: Service;
  buildingControl: Service;
  /** The partnership total of Revenues and Benefits, 2014/15, achieved, cashable, reported 2015-03. */
  revenuesTotal: SavingsFigure;
}

/**
 * A small hub written straight through the EntityManager: two partnerships of real councils,
 * their services, a joint committee, funding, and savings reported in two months, with amounts
 * that a binary float would get wrong.
 */
export async function seedHub(em: EntityManager): Promise<SeededHub> {
  const code = async (gssCode: string) =>
    em.findOneOrFail(Council, { gssCode });
  const councils = {
    chesterfield: await code("E07000034"),
    bolsover: await code("E07000033"),
    ned: await code("E07000038"),
    cheshireEast: await code("E06000049"),
    cheshireWest: await code("E06000050"),
  };
  const run = em.create(ImportRun, {
    fileName: "derbyshire-tracker-2015-03.xlsx",
    sha256: "ab".repeat(32),
    kind: "savings",
    reportingPeriod: "2015-03",
    status: ImportStatus.IMPORTED,
    rowCounts: {},
    problems: [],
    startedAt: new Date("2015-04-02T09:00:00Z"),
    runBy: "test",
  });
  const derbyshire = em.create(Partnership, {
    name: "Derbyshire Shared Services",
    alternativeNames: ["CBNED"],
    description:
      "Chesterfield, Bolsover and North East Derbyshire sharing back office services.",
    status: PartnershipStatus.ACTIVE,
    startDate: "2010-04-01",
    importRun: run,
  });
  const cheshire = em.create(Partnership, {
    name: "Cheshire Shared Services",
    alternativeNames: [],
    status: PartnershipStatus.PROPOSED,
  });
  const member = (
    partnership: Partnership,
    council: Council,
    role: MembershipRole,
    costSharePercent: string | null,
  ) => em.create(Membership, { partnership, council, role, costSharePercent });
  member(derbyshire, councils.chesterfield, MembershipRole.HOST, "40.0000");
  member(derbyshire, councils.bolsover, MembershipRole.MEMBER, "30.0000");
  member(derbyshire, councils.ned, MembershipRole.MEMBER, "30.0000");
  member(cheshire, councils.cheshireEast, MembershipRole.LEAD, null);
  member(cheshire, councils.cheshireWest, MembershipRole.MEMBER, null);
  const jointCommittee = em.create(GovernanceBody, {
    name: "Joint Committee",
    kind: GovernanceKind.JOINT_COMMITTEE,
    partnership: derbyshire,
    chair: "Rotating leader",
  });
  em.create(GovernanceSeat, {
    body: jointCommittee,
    council: councils.chesterfield,
    seats: 2,
    role: "Leader and Deputy Leader",
  });
  em.create(GovernanceSeat, {
    body: jointCommittee,
    council: councils.bolsover,
    seats: 2,
  });
  em.create(FundingAward, {
    partnership: derbyshire,
    funder: "RCE",
    amount: "100000.00",
    purpose: "Business case",
    awardedOn: "2005-05-01",
  });
  const service = (
    partnership: Partnership,
    name: string,
    host: Council | null,
    status: ServiceStatus,
    category: string,
    governingBody: GovernanceBody | null = null,
  ) =>
    em.create(Service, {
      partnership,
      name,
      hostCouncil: host,
      hostRole: host ? MembershipRole.HOST : null,
      status,
      statusText: status.toLowerCase(),
      category,
      governingBody,
    });
  const revenues = service(
    derbyshire,
    "Revenues and Benefits",
    councils.chesterfield,
    ServiceStatus.LIVE,
    "Back office",
    jointCommittee,
  );
  const ict = service(
    derbyshire,
    "ICT",
    councils.bolsover,
    ServiceStatus.IN_IMPLEMENTATION,
    "Back office",
  );
  const legal = service(
    derbyshire,
    "Legal Services",
    null,
    ServiceStatus.PROPOSED,
    "Front line",
  );
  const buildingControl = service(
    cheshire,
    "Building Control",
    councils.cheshireEast,
    ServiceStatus.LIVE,
    "Regulatory",
  );
  const figure = (
    svc: Service,
    council: Council | null,
    financialYear: number,
    measure: SavingsMeasure,
    cashable: boolean,
    reportingPeriod: string,
    amount: string,
  ) =>
    em.create(SavingsFigure, {
      service: svc,
      council,
      financialYear,
      measure,
      cashable,
      reportingPeriod,
      amount,
      importRun: run,
      sourceSheet: "Savings",
      sourceCell: "D7",
    });
  const { ACHIEVED, TARGET } = SavingsMeasure;
  figure(revenues, null, 2014, ACHIEVED, true, "2014-09", "1000.10");
  const revenuesTotal = figure(
    revenues,
    null,
    2014,
    ACHIEVED,
    true,
    "2015-03",
    "1500.25",
  );
  figure(
    revenues,
    councils.chesterfield,
    2014,
    ACHIEVED,
    true,
    "2015-03",
    "600.10",
  );
  figure(
    revenues,
    councils.bolsover,
    2014,
    ACHIEVED,
    true,
    "2015-03",
    "450.05",
  );
  figure(revenues, councils.ned, 2014, ACHIEVED, true, "2015-03", "450.10");
  figure(revenues, null, 2014, ACHIEVED, false, "2015-03", "200.00");
  figure(revenues, null, 2014, TARGET, true, "2014-04", "2000.00");
  figure(revenues, null, 2015, ACHIEVED, true, "2016-03", "300.00");
  figure(ict, councils.bolsover, 2014, ACHIEVED, true, "2015-03", "100.01");
  figure(ict, councils.chesterfield, 2014, ACHIEVED, true, "2015-03", "0.02");
  figure(
    buildingControl,
    councils.cheshireEast,
    2014,
    ACHIEVED,
    true,
    "2015-03",
    "50.00",
  );
  await em.flush();
  return {
    run,
    councils,
    derbyshire,
    cheshire,
    jointCommittee,
    revenues,
    ict,
    legal,
    buildingControl,
    revenuesTotal,
  };
}

import type { EntityManager } from "@mikro-orm/postgresql";
import { Council } from "../../schema/council.js";
import { ImportRun, ImportStatus } from "../../schema/import-run.js";
import { Membership, MembershipRole } from "../../schema/membership.js";
import { Partnership } from "../../schema/partnership.js";
import { SavingsFigure } from "../../schema/savings-figure.js";
import { SavingsMeasure } from "../../schema/savings-measure.js";
import { Service } from "../../schema/service.js";

/** Chesterfield, Bolsover and North East Derbyshire: real GSS codes from the register. */
export const CHESTERFIELD = "E07000034";
export const BOLSOVER = "E07000033";
export const NE_DERBYSHIRE = "E07000038";
export const HIGH_PEAK = "E07000037";
export const SOUTH_DERBYSHIRE = "E07000039";

/** A member to seed: a GSS code and, optionally, its agreed share and dates. */
export interface SeedMember {
  gss: string;
  percent?: string | null;
  role?: MembershipRole;
  joinedOn?: string;
  leftOn?: string;
}

/** A figure to seed; `gss` null (or absent) is the partnership's total. */
export interface SeedFigure {
  service: string;
  gss?: string | null;
  amount: string;
  year?: number;
  measure?: SavingsMeasure;
  cashable?: boolean;
  period?: string;
  sheet?: string;
  cell?: string;
  /**
   * The GSS code of the council whose tracker reported it; null for the partnership's own. Default:
   * the figure's own council (its claim), or the partnership for a total.
   */
  reportedBy?: string | null;
}

/** Writes a partnership, its members, services and figures with the EntityManager, as an importer would. */
export async function seedSavings(
  em: EntityManager,
  spec: {
    name: string;
    members: SeedMember[];
    figures: SeedFigure[];
    fileName?: string;
  },
): Promise<{
  partnership: Partnership;
  run: ImportRun;
  figures: SavingsFigure[];
}> {
  const fork = em.fork();
  const councils = new Map<string, Council>();
  const council = async (gss: string) => {
    let found = councils.get(gss);
    if (!found) {
      found = await fork.findOneOrFail(Council, { gssCode: gss });
      councils.set(gss, found);
    }
    return found;
  };
  const run = Object.assign(new ImportRun(), {
    fileName: spec.fileName ?? `${spec.name} tracker.xlsx`,
    sha256: "0".repeat(64),
    kind: "savings",
    reportingPeriod: "2010-03",
    status: ImportStatus.IMPORTED,
    runBy: "test",
  });
  const partnership = Object.assign(new Partnership(), { name: spec.name });
  fork.persist([run, partnership]);
  for (const member of spec.members) {
    fork.persist(
      Object.assign(new Membership(), {
        partnership,
        council: await council(member.gss),
        role: member.role ?? MembershipRole.MEMBER,
        costSharePercent: member.percent ?? null,
        joinedOn: member.joinedOn ?? null,
        leftOn: member.leftOn ?? null,
      }),
    );
  }
  const services = new Map<string, Service>();
  const figures: SavingsFigure[] = [];
  let row = 2;
  for (const f of spec.figures) {
    let service = services.get(f.service);
    if (!service) {
      service = Object.assign(new Service(), { name: f.service, partnership });
      fork.persist(service);
      services.set(f.service, service);
    }
    figures.push(
      Object.assign(new SavingsFigure(), {
        service,
        council: f.gss ? await council(f.gss) : null,
        reportedBy:
          f.reportedBy === undefined
            ? f.gss
              ? await council(f.gss)
              : null
            : f.reportedBy === null
              ? null
              : await council(f.reportedBy),
        financialYear: f.year ?? 2009,
        measure: f.measure ?? SavingsMeasure.ACHIEVED,
        cashable: f.cashable ?? true,
        amount: f.amount,
        reportingPeriod: f.period ?? "2010-03",
        importRun: run,
        sourceSheet: f.sheet ?? "Savings",
        sourceCell: f.cell ?? `D${row++}`,
      }),
    );
  }
  fork.persist(figures);
  await fork.flush();
  return { partnership, run, figures };
}

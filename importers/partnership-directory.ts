import type { EntityManager } from "@mikro-orm/postgresql";
import { Council } from "../schema/council.js";
import { GovernanceBody, GovernanceKind } from "../schema/governance-body.js";
import type { ImportRun } from "../schema/import-run.js";
import { Membership, MembershipRole } from "../schema/membership.js";
import { Partnership } from "../schema/partnership.js";
import { Service } from "../schema/service.js";
import type { ProblemCollector } from "./import-problem.js";
import { matchPartnershipName } from "../schema/partnership-name.js";
import { nameKey, SimilarNames } from "./record-names.js";

/** A record an import created, for the report ("the report lists everything created"). */
export interface CreatedRecord {
  type: "partnership" | "service" | "governance body" | "membership";
  name: string;
  partnership?: string;
  sheet: string;
  cell: string;
}

/** Created, updated and unchanged records of one sheet. */
export interface RecordCounts {
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
}

/** Where a record came from, set on everything created or changed. */
export interface RecordSource {
  sheet: string;
  cell: string;
}

/** The kind of governance body a name or type says ("Joint Committee", "Officer Steering Group"). */
export function governanceKind(text: string): GovernanceKind {
  const t = text.toLowerCase();
  if (/joint\s+committee|\bcommittee\b/.test(t))
    return GovernanceKind.JOINT_COMMITTEE;
  if (/programme\s+board|project\s+board/.test(t))
    return GovernanceKind.PROGRAMME_BOARD;
  if (/steering/.test(t)) return GovernanceKind.STEERING_GROUP;
  if (/forum|consultative/.test(t)) return GovernanceKind.CONSULTATIVE_FORUM;
  if (/advisory|panel/.test(t)) return GovernanceKind.ADVISORY_PANEL;
  if (/project\s+team|implementation\s+team|development\s+team/.test(t))
    return GovernanceKind.PROJECT_TEAM;
  if (/board/.test(t)) return GovernanceKind.JOINT_BOARD;
  return GovernanceKind.OTHER;
}

/**
 * The partnerships, their members, services and governance bodies as the import's transaction sees
 * them, loaded once per file, with find-or-create that warns when a new name is close to an existing
 * one (so that "Shared Back Ofice" never silently becomes a second service).
 */
export class PartnershipDirectory {
  private readonly partnerships: Partnership[] = [];
  private readonly members = new Map<Partnership, Map<string, Membership>>();
  private readonly services = new Map<Partnership, Service[]>();
  private readonly serviceKeys = new Map<Partnership, Map<string, Service>>();
  /** Each partnership's service names, made on its first new service, for the near-duplicate warning. */
  private readonly serviceNames = new Map<Partnership, SimilarNames>();
  private readonly bodies = new Map<Partnership, GovernanceBody[]>();
  readonly created: CreatedRecord[] = [];

  private constructor(
    private readonly em: EntityManager,
    private readonly run: ImportRun,
    readonly councilIds: ReadonlyMap<string, number>,
    private readonly problems: ProblemCollector,
    /** Throws unless the import may change the directory (see ImportLocks.mayChangeDirectory). */
    readonly mayChange: (what: string) => void,
  ) {}

  /** Loads every partnership with its members, services and bodies (a few hundred rows at most). */
  static async load(
    em: EntityManager,
    run: ImportRun,
    problems: ProblemCollector,
    mayChange: (what: string) => void = () => undefined,
  ): Promise<PartnershipDirectory> {
    const councils = await em.execute<{ id: number; gss_code: string }[]>(
      "select id, gss_code from council",
    );
    const directory = new PartnershipDirectory(
      em,
      run,
      new Map(councils.map((c) => [c.gss_code, c.id])),
      problems,
      mayChange,
    );
    const partnerships = await em.find(
      Partnership,
      {},
      { orderBy: { id: "asc" } },
    );
    for (const p of partnerships) {
      directory.partnerships.push(p);
      directory.members.set(p, new Map());
      directory.services.set(p, []);
      directory.bodies.set(p, []);
    }
    for (const m of await em.find(Membership, {}, { populate: ["council"] }))
      directory.members
        .get(m.partnership as Partnership)
        ?.set(m.council.gssCode, m);
    for (const s of await em.find(Service, {}))
      directory.services.get(s.partnership as Partnership)?.push(s);
    for (const b of await em.find(GovernanceBody, {}))
      directory.bodies.get(b.partnership as Partnership)?.push(b);
    return directory;
  }

  /** A council entity reference by GSS code. */
  council(gss: string): Council {
    return this.em.getReference(Council, this.councilIds.get(gss)!);
  }

  /**
   * The partnership with this name or alternative name (`matchPartnershipName`); an alternative
   * name several partnerships share names the oldest of them, as it always has here.
   */
  findPartnership(name: string): Partnership | null {
    const { match, candidates } = matchPartnershipName(this.partnerships, name);
    return match ?? candidates[0] ?? null;
  }

  /** Partnerships whose members are exactly these councils; failing that, the one partnership holding them all. */
  findByMembers(codes: ReadonlySet<string>): Partnership[] {
    if (codes.size === 0) return [];
    const exact = this.partnerships.filter((p) => {
      const members = this.members.get(p)!;
      return (
        members.size === codes.size && [...codes].every((c) => members.has(c))
      );
    });
    if (exact.length) return exact;
    return this.partnerships.filter((p) =>
      [...codes].every((c) => this.members.get(p)!.has(c)),
    );
  }

  /** The GSS codes of a partnership's members. */
  memberCodes(partnership: Partnership): string[] {
    return [...(this.members.get(partnership)?.keys() ?? [])];
  }

  /** The partnerships a council belongs to. */
  partnershipsOf(gss: string): Partnership[] {
    return this.partnerships.filter((p) => this.members.get(p)!.has(gss));
  }

  /** Every partnership. */
  all(): readonly Partnership[] {
    return this.partnerships;
  }

  private warnIfSimilar(
    name: string,
    existing: SimilarNames,
    what: string,
    source: RecordSource,
  ): void {
    const close = existing.closeTo(name);
    if (close !== undefined)
      this.problems.add({
        code: "similar-name",
        sheet: source.sheet,
        cell: source.cell,
        value: name,
        message: `A new ${what} "${name}" was created, and its name is close to the existing "${close}": if they are the same, correct the workbook (or add an alternative name) and import it again.`,
      });
  }

  /** Marks a record as written by this run from this cell. */
  stamp(
    record: {
      importRun?: unknown;
      sourceSheet?: string | null;
      sourceCell?: string | null;
    },
    source: RecordSource,
  ): void {
    record.importRun = this.run;
    record.sourceSheet = source.sheet;
    record.sourceCell = source.cell;
  }

  /** Finds a partnership by name, or creates it. */
  partnership(
    name: string,
    source: RecordSource,
    counts: RecordCounts,
  ): Partnership {
    const found = this.findPartnership(name);
    if (found) return found;
    this.mayChange(`it creates the partnership "${name}"`);
    this.warnIfSimilar(
      name,
      new SimilarNames(
        this.partnerships.flatMap((p) => [p.name, ...p.alternativeNames]),
      ),
      "partnership",
      source,
    );
    const partnership = this.em.create(Partnership, {
      name: name.trim(),
      alternativeNames: [],
    });
    this.stamp(partnership, source);
    this.partnerships.push(partnership);
    this.members.set(partnership, new Map());
    this.services.set(partnership, []);
    this.bodies.set(partnership, []);
    this.created.push({
      type: "partnership",
      name: partnership.name,
      ...source,
    });
    counts.created++;
    return partnership;
  }

  /** Makes a council a member (or upgrades its role to host/lead); counts what changed. */
  member(
    partnership: Partnership,
    gss: string,
    role: MembershipRole,
    source: RecordSource,
    counts: RecordCounts,
  ): void {
    const members = this.members.get(partnership)!;
    const existing = members.get(gss);
    if (existing) {
      if (
        role !== MembershipRole.MEMBER &&
        existing.role === MembershipRole.MEMBER
      ) {
        this.mayChange(`it changes a member of "${partnership.name}"`);
        existing.role = role;
        this.stamp(existing, source);
        counts.updated++;
      }
      return;
    }
    this.mayChange(`it adds a member to "${partnership.name}"`);
    const membership = this.em.create(Membership, {
      partnership,
      council: this.council(gss),
      role,
    });
    this.stamp(membership, source);
    members.set(gss, membership);
    this.created.push({
      type: "membership",
      name: gss,
      partnership: partnership.name,
      ...source,
    });
    counts.created++;
  }

  /** The partnership's service of this name (footnote marks and case ignored), if any. */
  findService(partnership: Partnership, name: string): Service | null {
    let byKey = this.serviceKeys.get(partnership);
    if (!byKey) {
      // Indexed on first use: a tracker's thousands of services are each looked up many times.
      byKey = new Map();
      for (const service of this.services.get(partnership)!)
        if (!byKey.has(nameKey(service.name)))
          byKey.set(nameKey(service.name), service);
      this.serviceKeys.set(partnership, byKey);
    }
    return byKey.get(nameKey(name)) ?? null;
  }

  /** Whether any partnership has a service of this name. */
  knowsService(name: string): boolean {
    return this.partnerships.some((p) => this.findService(p, name) !== null);
  }

  /** Finds a service by name within a partnership, or creates it. */
  service(
    partnership: Partnership,
    name: string,
    source: RecordSource,
    counts: RecordCounts,
  ): { service: Service; created: boolean } {
    const found = this.findService(partnership, name);
    if (found) return { service: found, created: false };
    this.mayChange(`it creates the service "${name}"`);
    let names = this.serviceNames.get(partnership);
    if (!names) {
      names = new SimilarNames(
        this.services.get(partnership)!.map((s) => s.name),
      );
      this.serviceNames.set(partnership, names);
    }
    this.warnIfSimilar(name, names, `service in ${partnership.name}`, source);
    names.add(name);
    const service = this.em.create(Service, {
      name,
      partnership,
    });
    this.stamp(service, source);
    this.services.get(partnership)!.push(service);
    const byKey = this.serviceKeys.get(partnership);
    if (byKey && !byKey.has(nameKey(name))) byKey.set(nameKey(name), service);
    this.created.push({
      type: "service",
      name,
      partnership: partnership.name,
      ...source,
    });
    counts.created++;
    return { service, created: true };
  }

  /** The partnership's governance body of this name (case and punctuation ignored), if any. */
  findBody(partnership: Partnership, name: string): GovernanceBody | null {
    const key = nameKey(name);
    return (
      this.bodies.get(partnership)!.find((b) => nameKey(b.name) === key) ?? null
    );
  }

  /** Finds a governance body by name within a partnership, or creates it (its kind read from the name). */
  body(
    partnership: Partnership,
    name: string,
    source: RecordSource,
    counts: RecordCounts,
  ): { body: GovernanceBody; created: boolean } {
    const found = this.findBody(partnership, name);
    if (found) return { body: found, created: false };
    this.mayChange(`it creates the governance body "${name}"`);
    this.warnIfSimilar(
      name,
      new SimilarNames(this.bodies.get(partnership)!.map((b) => b.name)),
      `governance body of ${partnership.name}`,
      source,
    );
    const body = this.em.create(GovernanceBody, {
      name,
      partnership,
      kind: governanceKind(name),
    });
    this.stamp(body, source);
    this.bodies.get(partnership)!.push(body);
    this.created.push({
      type: "governance body",
      name,
      partnership: partnership.name,
      ...source,
    });
    counts.created++;
    return { body, created: true };
  }

  /** Sets fields on a record, stamping its source and counting it updated only when a value changed. */
  update<T extends object>(
    record: T,
    values: Partial<T>,
    source: RecordSource,
    counts: RecordCounts,
    isNew: boolean,
  ): void {
    let changed = false;
    for (const [key, value] of Object.entries(values) as [
      keyof T,
      T[keyof T],
    ][]) {
      const current = record[key];
      const same =
        current === value ||
        (current == null && value == null) ||
        (typeof current === "object" &&
          typeof value === "object" &&
          JSON.stringify(current) === JSON.stringify(value)) ||
        (typeof current === "object" &&
          current !== null &&
          "id" in current &&
          typeof value === "object" &&
          value !== null &&
          "id" in value &&
          (current as { id: unknown }).id === (value as { id: unknown }).id);
      if (!same) {
        this.mayChange("it updates a record");
        record[key] = value;
        changed = true;
      }
    }
    if (isNew) return;
    if (changed) {
      this.stamp(record as never, source);
      counts.updated++;
    } else counts.unchanged++;
  }
}

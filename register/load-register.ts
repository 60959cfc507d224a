import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { ConfigurationError } from "../errors/hub-error.js";
import { CouncilType, type CouncilRecord } from "./council-record.js";
import { normaliseCouncilName } from "./normalise-council-name.js";
import { parseCsvRecords } from "./parse-csv.js";

/**
 * mySociety's local-authority-type codes that are English principal councils. "CC" is the City
 * of London Corporation, sui generis: mapped to London borough, the nearest type, since it does a
 * London borough's work for the Square Mile. The Isles of Scilly, also sui generis, are already
 * "UA" (unitary) in mySociety and stay so. Combined authorities (COMB) and the GLA (SRA) are not
 * councils and are left out.
 */
const MYSOCIETY_TYPES: Readonly<Record<string, CouncilType>> = {
  CTY: CouncilType.COUNTY,
  NMD: CouncilType.NON_METROPOLITAN_DISTRICT,
  UA: CouncilType.UNITARY,
  MD: CouncilType.METROPOLITAN_DISTRICT,
  LBO: CouncilType.LONDON_BOROUGH,
  CC: CouncilType.LONDON_BOROUGH,
};

/** ONS GSS entity codes for the same five kinds. */
const ONS_TYPES: Readonly<Record<string, CouncilType>> = {
  E06: CouncilType.UNITARY,
  E07: CouncilType.NON_METROPOLITAN_DISTRICT,
  E08: CouncilType.METROPOLITAN_DISTRICT,
  E09: CouncilType.LONDON_BOROUGH,
  E10: CouncilType.COUNTY,
};

/** GSS codes began on this date: an ONS start date of 2009-01-01 says nothing about the council. */
const GSS_EPOCH = "2009-01-01";

interface OnsEntry {
  date: { s?: string; e?: string };
  nm: string;
  nm_alt?: string[];
  status?: string;
}

interface SuccessorRow {
  predecessorGss: string;
  predecessorOfficialName: string;
  successorGss: string;
  date: string;
  /** "abolished": a new council took over; "continued": the same council under a new GSS code. */
  change: "abolished" | "continued";
}

/** The fixtures/reference folder of the project this module is part of (source or built). */
function defaultReferenceDir(): string {
  // Walk up to package.json so that the same code works from register/ and from dist/register/.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new ConfigurationError(
        "Cannot find the project folder (no package.json above).",
      );
    dir = parent;
  }
  return join(dir, "fixtures", "reference");
}

function readText(dir: string, file: string): string {
  const path = join(dir, file);
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigurationError(
      `Cannot read the council reference file ${path}.`,
      {
        path,
        cause: String(error),
      },
    );
  }
}

function emptyToNull(value: string | undefined): string | null {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

function splitCodes(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((code) => code.trim())
    .filter(Boolean);
}

/**
 * mySociety joins alt-names with a bare "," while names themselves contain ", " ("Bournemouth,
 * Christchurch and Poole"), so only a comma not followed by a space separates names.
 */
function splitAltNames(value: string | undefined): string[] {
  return (value ?? "")
    .split(/,(?! )/)
    .map((name) => name.trim())
    .filter(Boolean);
}

function tidyName(name: string): string {
  return name.replace(/\s+/g, " ").trim();
}

function dayBefore(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/** Alternative names without duplicates (by normalised form) and without the record's own names. */
function dedupeNames(record: CouncilRecord, names: Iterable<string>): string[] {
  const seen = new Set([
    normaliseCouncilName(record.officialName),
    normaliseCouncilName(record.shortName),
  ]);
  const kept: string[] = [];
  for (const raw of names) {
    const name = tidyName(raw);
    const key = normaliseCouncilName(name);
    if (key === "" || seen.has(key)) continue;
    seen.add(key);
    kept.push(name);
  }
  return kept;
}

function readOnsHistory(dir: string): Map<string, OnsEntry[]> {
  const areas = new Map<string, OnsEntry[]>();
  for (const prefix of Object.keys(ONS_TYPES)) {
    const parsed = JSON.parse(
      readText(dir, join("ons-code-history", `${prefix}.json`)),
    ) as {
      areas: Record<string, OnsEntry[]>;
    };
    for (const [gss, entries] of Object.entries(parsed.areas))
      areas.set(gss, entries);
  }
  return areas;
}

function readSuccessors2009(dir: string): SuccessorRow[] {
  return parseCsvRecords(readText(dir, "successors-2009.csv")).map((row, i) => {
    const change = row["change"];
    if (change !== "abolished" && change !== "continued") {
      throw new ConfigurationError(
        `successors-2009.csv row ${i + 2}: change must be "abolished" or "continued".`,
      );
    }
    return {
      predecessorGss: row["predecessor-gss"] ?? "",
      predecessorOfficialName: row["predecessor-official-name"] ?? "",
      successorGss: row["successor-gss"] ?? "",
      date: row["date"] ?? "",
      change,
    };
  });
}

function onsNames(entries: readonly OnsEntry[] | undefined): string[] {
  return (entries ?? []).flatMap((entry) => [
    entry.nm,
    ...(entry.nm_alt ?? []),
  ]);
}

/** The official name of a council only the ONS lists, when the 2009 table does not give it. */
function onsOfficialName(gss: string, latest: OnsEntry): string {
  const councilName = latest.nm_alt?.find((name) => /\bcouncil\b/i.test(name));
  if (councilName) return councilName;
  return gss.startsWith("E10")
    ? `${latest.nm} County Council`
    : `${latest.nm} Council`;
}

/**
 * Reads the council register from the reference files (synchronously: it runs once at start-up):
 * every English principal council in mySociety's list, current and former, merged with the ONS
 * Code History so that councils abolished in 2009 (which mySociety does not list) are present too.
 * Successors come from mySociety's replaced-by and from successors-2009.csv; a successor code
 * that matches no council is a broken reference set and throws a ConfigurationError.
 */
export function loadCouncilRecords(
  dir: string = defaultReferenceDir(),
): CouncilRecord[] {
  const mySociety = parseCsvRecords(readText(dir, "uk_local_authorities.csv"));
  const gssLookup = parseCsvRecords(
    readText(dir, "lookup_gss_to_registry.csv"),
  );
  const ons = readOnsHistory(dir);
  const successors2009 = readSuccessors2009(dir);

  const records: CouncilRecord[] = [];
  const byGss = new Map<string, CouncilRecord>();
  const byRegisterCode = new Map<string, CouncilRecord>();
  const replacedBy = new Map<CouncilRecord, string[]>();
  const extraNames = new Map<CouncilRecord, string[]>();

  const index = (record: CouncilRecord, gss: string): void => {
    const existing = byGss.get(gss);
    if (existing && existing !== record) {
      throw new ConfigurationError(
        `GSS code ${gss} belongs to both ${existing.officialName} and ${record.officialName}.`,
      );
    }
    byGss.set(gss, record);
  };

  for (const row of mySociety) {
    const type = MYSOCIETY_TYPES[row["local-authority-type"] ?? ""];
    if (row["nation"] !== "England" || type === undefined) continue;
    const record: CouncilRecord = {
      gssCode: row["gss-code"] ?? "",
      registerCode: emptyToNull(row["local-authority-code"]),
      officialName: tidyName(row["official-name"] ?? ""),
      shortName: tidyName(row["nice-name"] ?? ""),
      type,
      startDate: emptyToNull(row["start-date"]),
      endDate: emptyToNull(row["end-date"]),
      successorGssCodes: [],
      alternativeNames: [],
      formerGssCodes: splitCodes(row["former-gss-codes"]),
    };
    records.push(record);
    index(record, record.gssCode);
    for (const former of record.formerGssCodes) index(record, former);
    if (record.registerCode) byRegisterCode.set(record.registerCode, record);
    replacedBy.set(record, splitCodes(row["replaced-by"]));
    extraNames.set(record, splitAltNames(row["alt-names"]));
  }

  // mySociety's GSS lookup also lists former codes; pick up any the main file leaves out.
  for (const row of gssLookup) {
    const gss = row["gss-code"] ?? "";
    const record = byRegisterCode.get(row["local-authority-code"] ?? "");
    if (record && gss !== "" && !byGss.has(gss)) {
      record.formerGssCodes.push(gss);
      index(record, gss);
    }
  }

  // A council that carried on in 2009 under a new code (Cornwall, Durham, ...) is the same council.
  // Its ONS names are statistical-area names ("Cornwall and Isles of Scilly"), not council names,
  // so only the official name from the 2009 table is kept.
  const continuedCodes = new Set<string>();
  for (const row of successors2009.filter((r) => r.change === "continued")) {
    continuedCodes.add(row.predecessorGss);
    const record = byGss.get(row.successorGss);
    if (!record) continue; // reported below with the other unknown successors
    if (!record.formerGssCodes.includes(row.predecessorGss))
      record.formerGssCodes.push(row.predecessorGss);
    index(record, row.predecessorGss);
    extraNames.get(record)?.push(row.predecessorOfficialName);
  }

  const names2009 = new Map(
    successors2009.map((row) => [
      row.predecessorGss,
      row.predecessorOfficialName,
    ]),
  );
  for (const [gss, entries] of ons) {
    const latest = [...entries].sort((a, b) =>
      (b.date.s ?? "").localeCompare(a.date.s ?? ""),
    )[0];
    const type = ONS_TYPES[gss.slice(0, 3)];
    if (byGss.has(gss) || !latest || type === undefined) continue;
    const earliestStart =
      entries.map((entry) => entry.date.s ?? "").sort()[0] ?? "";
    const record: CouncilRecord = {
      gssCode: gss,
      registerCode: null,
      officialName: names2009.get(gss) ?? onsOfficialName(gss, latest),
      shortName: latest.nm,
      type,
      startDate:
        earliestStart === "" || earliestStart <= GSS_EPOCH
          ? null
          : earliestStart,
      endDate: latest.date.e ?? null,
      successorGssCodes: [],
      alternativeNames: [],
      formerGssCodes: [],
    };
    records.push(record);
    index(record, gss);
    extraNames.set(record, []);
  }

  for (const record of records) {
    const successors = (replacedBy.get(record) ?? []).map(
      (code) => byRegisterCode.get(code)?.gssCode ?? code,
    );
    for (const row of successors2009) {
      if (row.predecessorGss === record.gssCode && row.change === "abolished")
        successors.push(row.successorGss);
    }
    record.successorGssCodes = [
      ...new Set(successors.map((code) => byGss.get(code)?.gssCode ?? code)),
    ];
    record.alternativeNames = dedupeNames(record, [
      ...(extraNames.get(record) ?? []),
      ...[record.gssCode, ...record.formerGssCodes]
        .filter((gss) => !continuedCodes.has(gss))
        .flatMap((gss) => onsNames(ons.get(gss))),
    ]);
  }

  const unknown = records.flatMap((record) =>
    record.successorGssCodes
      .filter((code) => !byGss.has(code))
      .map((code) => `${record.gssCode} -> ${code}`),
  );
  const unknownContinued = successors2009.filter(
    (row) => !byGss.has(row.successorGss),
  );
  if (unknown.length > 0 || unknownContinued.length > 0) {
    throw new ConfigurationError(
      "Council successors name GSS codes that are in no reference file.",
      {
        successors: [
          ...unknown,
          ...unknownContinued.map(
            (row) => `${row.predecessorGss} -> ${row.successorGss}`,
          ),
        ],
      },
    );
  }

  // mySociety sometimes gives the successor's first day as the end date; store the last day the
  // council existed instead, so that no date finds both a council and its successor existing.
  for (const record of records) {
    const firstSuccessorStart = record.successorGssCodes
      .map((code) => byGss.get(code)?.startDate ?? null)
      .filter((date): date is string => date !== null)
      .sort()[0];
    if (
      record.endDate &&
      firstSuccessorStart &&
      record.endDate >= firstSuccessorStart
    ) {
      record.endDate = dayBefore(firstSuccessorStart);
    }
  }

  return records.sort((a, b) => a.gssCode.localeCompare(b.gssCode));
}

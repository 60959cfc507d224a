import type { EntityManager } from "@mikro-orm/postgresql";
import { ImportProfile } from "../schema/import-profile.js";
import type { MappingProfile } from "./mapping-profile.js";
import type { SheetShape, WorkbookShape } from "./workbook-shape.js";

/** A remembered profile as the importer uses it. */
export interface StoredProfile {
  profileId: number;
  /** The successful import that gave the answers. */
  importRunId: number;
  reportingPeriod: string | null;
  answers: MappingProfile;
}

/** A row of import_profile as read by the lookups below. */
interface ProfileRow {
  id: number;
  import_run_id: number;
  reporting_period: string | null;
  answers: MappingProfile;
}

function storedProfile(row: ProfileRow | undefined): StoredProfile | null {
  return row
    ? {
        profileId: row.id,
        importRunId: row.import_run_id,
        reportingPeriod: row.reporting_period,
        answers: row.answers,
      }
    : null;
}

/** The profile remembered for a workbook shape, if any (one statement). */
export async function findImportProfile(
  em: EntityManager,
  shapeKey: string,
): Promise<StoredProfile | null> {
  const rows = await em
    .getConnection()
    .execute<ProfileRow[]>(
      `select id, import_run_id, reporting_period, answers from import_profile where shape_key = ?`,
      [shapeKey],
    );
  return storedProfile(rows[0]);
}

/**
 * The profile last remembered for a layout whose first sheet has this shape, if any (one
 * statement): what a file is read with from its first sheet on, before its whole shape is known
 * (which is checked against findImportProfile once every sheet is read).
 */
export async function findImportProfileByFirstSheet(
  em: EntityManager,
  first: SheetShape,
): Promise<StoredProfile | null> {
  const rows = await em.getConnection().execute<ProfileRow[]>(
    `select id, import_run_id, reporting_period, answers from import_profile
      where shape -> 0 = ?::jsonb order by updated_at desc, id desc limit 1`,
    [JSON.stringify({ name: first.name, header: first.header })],
  );
  return storedProfile(rows[0]);
}

/** What saving a profile did. */
export interface SavedProfile {
  profileId: number;
  /** False when the shape had a profile already, now replaced by these answers. */
  created: boolean;
}

/**
 * Remembers `answers` for the shape, in the import's own transaction (so that a rolled-back import
 * remembers nothing): a new profile, or the shape's profile replaced.
 */
export async function saveImportProfile(
  em: EntityManager,
  input: {
    shape: WorkbookShape;
    answers: MappingProfile;
    importRunId: number;
    fileName: string;
    reportingPeriod: string | null;
  },
): Promise<SavedProfile> {
  const rows = await em
    .getConnection()
    .execute<{ id: number; created: boolean }[]>(
      `insert into import_profile (shape_key, shape, answers, import_run_id, file_name, reporting_period, created_at, updated_at)
       values (?, ?::jsonb, ?::jsonb, ?, ?, ?, now(), now())
       on conflict (shape_key) do update set answers = excluded.answers, import_run_id = excluded.import_run_id,
         file_name = excluded.file_name, reporting_period = excluded.reporting_period, updated_at = now()
       returning id, (xmax = 0) as created`,
      [
        input.shape.key,
        JSON.stringify(input.shape.sheets),
        JSON.stringify(input.answers),
        input.importRunId,
        input.fileName,
        input.reportingPeriod,
      ],
    );
  return { profileId: rows[0]!.id, created: rows[0]!.created };
}

/** Every remembered profile, oldest first (`sshub profiles list`). */
export async function listImportProfiles(
  em: EntityManager,
): Promise<ImportProfile[]> {
  return em.find(ImportProfile, {}, { orderBy: { id: "asc" } });
}

/** Forgets one profile; false when there is none with that number. */
export async function forgetImportProfile(
  em: EntityManager,
  id: number,
): Promise<boolean> {
  return (await em.nativeDelete(ImportProfile, { id })) === 1;
}

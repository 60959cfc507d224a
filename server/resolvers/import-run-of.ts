import type { ImportRun } from "../../schema/import-run.js";
import type { Loaders } from "../loaders.js";

/** The import run behind an imported record's reference, through the request's loader. */
export async function importRunOf(
  loaders: Loaders,
  reference: { id: number } | null | undefined,
): Promise<ImportRun | null> {
  return reference ? loaders.importRun.load(reference.id) : null;
}

/** Description of every `importRun` link. */
export const IMPORT_RUN_LINK =
  "The import run that last wrote this record; null for records entered otherwise.";

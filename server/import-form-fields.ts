import { BadInputError } from "../errors/hub-error.js";
import { SHEET_KINDS, type SheetKind } from "../importers/header-synonyms.js";
import type { ImportOptions } from "../importers/import-workbook.js";
import { withLayoutAnswers } from "../importers/layout-answers.js";
import { validateMappingProfile } from "../importers/mapping-profile.js";
import {
  MEASURE_OPTION_WORDS,
  parseMeasureOption,
} from "../importers/read-measure.js";

/**
 * The import options a form (`POST /imports`) gives, each meaning what `sshub import`'s option of the
 * same name does: `period`, `partnership`, `measure`, `kind`, `mapping` (a mapping profile as JSON,
 * the `--mapping` file's content), `headerRow` and `column` (`--header-row` and `--column`, one
 * answer a line, on top of `mapping`), `dryRun`, `skipInvalidRows`, and `remember` ("false" neither
 * uses nor saves remembered answers, as `--no-remember`). A bad field is a BadInputError naming it.
 */
export function importOptionsFromFields(
  fields: Record<string, string>,
): Partial<ImportOptions> {
  const options: Partial<ImportOptions> = {
    rememberAnswers: fields.remember !== "false",
  };
  if (fields.period) options.period = fields.period;
  if (fields.partnership) options.partnership = fields.partnership;
  if (fields.measure) {
    const measure = parseMeasureOption(fields.measure);
    if (!measure)
      throw new BadInputError(
        `The field "measure" must be one of ${MEASURE_OPTION_WORDS.split("|").join(", ")}; got "${fields.measure}".`,
        { measure: fields.measure },
      );
    options.measure = measure;
  }
  if (fields.kind) {
    if (!SHEET_KINDS.includes(fields.kind as SheetKind))
      throw new BadInputError(
        `The field "kind" must be one of ${SHEET_KINDS.join(", ")}; got "${fields.kind}".`,
        { kind: fields.kind },
      );
    options.kind = fields.kind as SheetKind;
  }
  if (fields.mapping) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fields.mapping);
    } catch {
      throw new BadInputError(
        'The field "mapping" must be a mapping profile written as JSON.',
        { mapping: fields.mapping.slice(0, 100) },
      );
    }
    options.profile = validateMappingProfile(parsed, 'in the field "mapping"');
  }
  const profile = withLayoutAnswers(
    options.profile,
    {
      ...(fields.headerRow
        ? { headerRows: answerLines(fields.headerRow) }
        : {}),
      ...(fields.column ? { columns: answerLines(fields.column) } : {}),
    },
    { headerRow: "The field headerRow", column: "The field column" },
  );
  if (profile) options.profile = profile;
  if (fields.dryRun === "true") options.dryRun = true;
  if (fields.skipInvalidRows === "true") options.skipInvalidRows = true;
  return options;
}

/** A field that may hold several answers, one a line (`column`: "Officer=ignore\nC=host"). */
function answerLines(field: string): string[] {
  return field
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

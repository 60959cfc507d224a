import type { CouncilLookup } from "./council-lookup.js";
import type { TitleFacts } from "./locate-header.js";

/**
 * The councils the lines above a sheet's table name in full ("Cambridge City, Huntingdonshire and
 * South Cambridgeshire Shared Services"): context for the short forms in its rows ("CCC", "HDC"),
 * as the partnership's own councils are.
 */
export function titleContextCodes(
  lookup: CouncilLookup,
  title: TitleFacts,
): string[] {
  return [
    ...new Set(
      title.lines.flatMap((line) => lookup.namedIn(line).map((c) => c.gssCode)),
    ),
  ];
}

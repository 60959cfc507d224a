/** The five kinds of English principal council. */
export enum CouncilType {
  COUNTY = "COUNTY",
  NON_METROPOLITAN_DISTRICT = "NON_METROPOLITAN_DISTRICT",
  UNITARY = "UNITARY",
  METROPOLITAN_DISTRICT = "METROPOLITAN_DISTRICT",
  LONDON_BOROUGH = "LONDON_BOROUGH",
}

/** One English principal council, current or former, as the register knows it. */
export interface CouncilRecord {
  /** Current GSS code, or the last one a former council had, e.g. "E06000049". */
  gssCode: string;
  /** mySociety's three-letter register code ("CHE"); null for councils only the ONS lists. */
  registerCode: string | null;
  /** "Cheshire East Council". */
  officialName: string;
  /** "Cheshire East". */
  shortName: string;
  type: CouncilType;
  /** ISO yyyy-mm-dd, or null when the sources do not say. */
  startDate: string | null;
  /** ISO yyyy-mm-dd of the last day the council existed; null while current. */
  endDate: string | null;
  /** The councils that took over, e.g. Congleton -> ["E06000049"]. */
  successorGssCodes: string[];
  /** Deduplicated other names, excluding the official and short names. */
  alternativeNames: string[];
  /** GSS codes the same council had before, e.g. after a boundary change. */
  formerGssCodes: string[];
}

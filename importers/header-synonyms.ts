/** What a column means to the importer. */
export type ColumnRole =
  | "service"
  | "partnership"
  | "partners"
  | "host"
  | "category"
  | "status"
  | "goLive"
  | "governingBody"
  | "annualSaving"
  | "notes"
  | "council"
  | "financialYear"
  | "quarter"
  | "yearToDate"
  | "measure"
  | "cashable"
  | "amount"
  | "rag"
  | "body"
  | "bodyType"
  | "membership"
  | "representation"
  | "chair"
  | "member"
  | "memberRole"
  | "funder"
  | "award"
  | "purpose"
  | "awardedOn";

/** The kinds of sheet the importer reads. */
export type SheetKind =
  "services" | "savings-long" | "savings-wide" | "governance" | "funding";

/** Every sheet kind, in the order `--kind` lists them. */
export const SHEET_KINDS: readonly SheetKind[] = [
  "services",
  "savings-long",
  "savings-wide",
  "governance",
  "funding",
];

/**
 * The documented synonym table: the headers councils use for each column, compared after
 * `headerKey` (case, punctuation, "&"/"and", "£"/"(£000)" and spacing ignored). A header that fits
 * several roles ("Type") is read by the roles of the sheet's kind. A mapping profile
 * (`--mapping file.json`) adds to this table or pins columns for one council's layout.
 */
export const HEADER_SYNONYMS: Readonly<Record<ColumnRole, readonly string[]>> =
  {
    service: [
      "Service",
      "Service name",
      "Shared service",
      "Proposed shared service",
      "Workstream",
      "Work stream",
      "Service area",
      "Project",
      "Function",
      "Savings line",
    ],
    partnership: [
      "Partnership",
      "Partnership name",
      "Programme",
      "Shared service partnership",
      "Shared services programme",
    ],
    partners: [
      "Partner councils",
      "Partners",
      "Partner authorities",
      "Councils",
      "Authorities",
      "Participating councils",
      "Councils involved",
    ],
    host: [
      "Host authority",
      "Host council",
      "Host",
      "Hosted by",
      "Lead authority",
      "Lead council",
      "Lead",
    ],
    category: [
      "Arrangement",
      "Category",
      "Type of arrangement",
      "Arrangement type",
      "Service category",
    ],
    status: ["Status", "Stage", "Progress", "Current status"],
    goLive: [
      "Go live",
      "Go live date",
      "Go-live",
      "Operational date",
      "Operational from",
      "Date operational",
      "Live from",
      "Start date",
      "Target date",
    ],
    governingBody: [
      "Governing body",
      "Governance",
      "Governed by",
      "Reports to",
    ],
    annualSaving: [
      "Estimated annual saving",
      "Estimated annual savings",
      "Annual saving",
      "Annual savings",
      "Estimated saving",
      "Estimated savings",
      "Saving per annum",
      "Savings per annum",
      "Savings pa",
      "Estimated cashable savings",
    ],
    notes: ["Notes", "Note", "Comments", "Comment", "Remarks", "Commentary"],
    council: [
      "Council",
      "Authority",
      "Local authority",
      "Partner council",
      "Partner",
      "Organisation",
      "Claiming council",
    ],
    financialYear: ["Financial year", "Year", "FY", "Fin year"],
    quarter: ["Quarter", "Qtr", "Financial quarter", "Reporting quarter"],
    yearToDate: [
      "YTD",
      "Year to date",
      "YTD total",
      "Cumulative",
      "Cumulative total",
      "Cumulative saving",
      "Cumulative savings",
    ],
    measure: [
      "Measure",
      "Type",
      "Figure",
      "Figure type",
      "Savings type",
      "Saving type",
      "Type of saving",
      "Basis",
    ],
    cashable: [
      "Cashable",
      "Cashable or non cashable",
      "Cash or non cash",
      "Cashable non cashable",
    ],
    amount: ["Amount", "Saving", "Savings", "Value", "Sum", "Saving amount"],
    rag: ["RAG", "RAG status", "RAG rating", "Rating"],
    body: [
      "Body",
      "Governance body",
      "Name of body",
      "Board or committee",
      "Committee",
      "Board",
      "Forum",
      "Group",
    ],
    bodyType: ["Type", "Body type", "Kind", "Type of body"],
    membership: [
      "Membership",
      "Membership by council",
      "Members",
      "Seats",
      "Councils represented",
    ],
    representation: [
      "Who sits",
      "Representatives",
      "Representation",
      "Made up of",
    ],
    chair: ["Chair", "Chaired by", "Chairman", "Chairperson"],
    member: [
      "Member",
      "Member name",
      "Name of member",
      "Representative",
      "Nominee",
      "Post",
      "Councillor",
    ],
    memberRole: ["Role", "Role on body", "Position", "Office held"],
    funder: [
      "Funder",
      "Funding body",
      "Source of funding",
      "Funding source",
      "Awarded by",
      "Awarding body",
      "Fund",
      "Grant programme",
      "Funding programme",
      "Funding stream",
      "Grant scheme",
      "Scheme",
    ],
    award: [
      "Award",
      "Amount awarded",
      "Grant",
      "Funding",
      "Amount",
      "Value",
      "Grant awarded",
      "Grant amount",
      "Funding awarded",
      "Funding amount",
    ],
    purpose: ["Purpose", "Used for", "Purpose of funding", "For", "To fund"],
    awardedOn: [
      "Date awarded",
      "Awarded",
      "Awarded on",
      "Date",
      "Award date",
      "Date of award",
      "Year awarded",
    ],
  };

/**
 * A service list's cashable column, besides the cashable synonyms: a tracker reads these as its
 * measure column (which may hold cashability); a service list has no measure, so they say whether
 * its estimates are cashable.
 */
export const SERVICE_LIST_CASHABLE_HEADERS: readonly string[] = [
  "Saving type",
  "Savings type",
  "Type of saving",
];

/** The roles each kind of sheet reads; the first listed are required. */
export const KIND_ROLES: Readonly<
  Record<
    SheetKind,
    { required: readonly ColumnRole[]; optional: readonly ColumnRole[] }
  >
> = {
  services: {
    required: ["service"],
    optional: [
      "partnership",
      "partners",
      "host",
      "category",
      "status",
      "goLive",
      "governingBody",
      "annualSaving",
      // The year and cashability of the estimated saving (a Saving type column holding Cashable / Non-cashable).
      "financialYear",
      "cashable",
      "notes",
    ],
  },
  "savings-long": {
    required: ["service", "financialYear", "amount"],
    optional: [
      "partnership",
      "council",
      // A row a quarter (Service | Year | Quarter | Amount): the year's figure is its quarters' sum;
      // without a year column, the quarters name their years ("Q1 2010/11").
      "quarter",
      // Beside a row a quarter's amount: the quarters so far, checked, never a figure.
      "yearToDate",
      "measure",
      "cashable",
      "rag",
      "notes",
    ],
  },
  "savings-wide": {
    required: ["service"],
    // A year column only in a cross-tab of councils across (see isWideTracker in map-columns.ts).
    optional: [
      "partnership",
      "council",
      "financialYear",
      // A row a quarter (Service | Quarter | 2010/11 | 2011/12): each year's figure is its quarters' sum.
      "quarter",
      "measure",
      "cashable",
      "rag",
      "notes",
    ],
  },
  governance: {
    required: ["body"],
    optional: [
      "bodyType",
      "partnership",
      "membership",
      "representation",
      "chair",
      // Members one per row under each body's heading: who sits, for which council, in what role.
      "member",
      "council",
      "memberRole",
      "notes",
    ],
  },
  funding: {
    required: ["funder", "award"],
    optional: ["partnership", "purpose", "awardedOn", "notes"],
  },
};

/**
 * A service list's estimate of what the service saves each year, however it is worded ("Est.
 * cashable savings p.a.", "Estimated annual saving £", "Savings per annum", "Expected saving"):
 * a saving word with a word of estimate or of a year.
 */
export function isEstimatedSaving(key: string): boolean {
  return (
    /\bsavings?\b/.test(key) &&
    /\b(?:est|estimated?|expected|anticipated|projected|annual|annually|yearly|p a|pa|per annum|per year|a year|ongoing|recurring)\b/.test(
      key,
    )
  );
}

/**
 * The comparable form of a header: lower case, "&" as "and", currency and scale marks ("£", "(£000)",
 * "£m") and punctuation removed, spaces collapsed. "Host Authority:" and "host authority" agree.
 */
export function headerKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\(?\s*£\s*(?:000s?|'000s?|k|m|millions?|thousands?)?\s*\)?/g, " ")
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .replace(/\s+/g, " ");
}

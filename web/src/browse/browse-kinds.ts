/** The four kinds of thing the browse pages list. */
export type BrowseKind =
  "councils" | "partnerships" | "services" | "governance";

/** How each kind is named on its list page. */
export const KINDS: Record<
  BrowseKind,
  { title: string; noun: string; placeholder: string }
> = {
  councils: {
    title: "Councils",
    noun: "councils",
    placeholder: "Name or code, e.g. Bolsover or E07000033",
  },
  partnerships: {
    title: "Partnerships",
    noun: "partnerships",
    placeholder: "Name, e.g. Derbyshire",
  },
  services: {
    title: "Services",
    noun: "services",
    placeholder: "Name, e.g. Procurement",
  },
  governance: {
    title: "Governance bodies",
    noun: "governance bodies",
    placeholder: "Name, e.g. Joint Committee",
  },
};

/**
 * The months' names, January first: the one list that dates are read (importers) and written (the
 * page, the sample and corpus generators) with. It imports nothing, so that the page's build can
 * import it too.
 */
export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** A reporting period is the month of a tracker, written YYYY-MM ("2010-06"). */
const REPORTING_PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** True when `text` is a month written YYYY-MM: the one check every reader of periods uses. */
export function isReportingPeriod(text: string): boolean {
  return REPORTING_PERIOD.test(text);
}

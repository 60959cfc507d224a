import { useId } from "react";
import { useGraphql } from "../api/use-graphql";
import { Loaded } from "../app/status-message";
import { href } from "../app/use-hash-route";
import { formatPeriod } from "../format/format-date";
import { enumWords } from "../format/format-words";

const CALENDAR = `query ImportCalendar($from: String, $to: String) {
  importsByMonth(from: $from, to: $to) {
    partnership { id name } missingMonths
    months { reportingPeriod figureCount beforeFirstTracker runs { id fileName runBy } }
  }
  importChecksByMonth(from: $from, to: $to) {
    reportingPeriod runs { id fileName runBy status }
  } }`;

interface PartnershipMonths {
  partnership: { id: string; name: string };
  missingMonths: number;
  months: {
    reportingPeriod: string;
    figureCount: number;
    beforeFirstTracker: boolean;
    runs: { id: string; fileName: string; runBy: string }[];
  }[];
}

/** A month's dry runs and refused runs: they wrote nothing, so no partnership's row holds them. */
interface MonthChecks {
  reportingPeriod: string;
  runs: { id: string; fileName: string; runBy: string; status: string }[];
}

/**
 * The import history by partnership and month: each month's imports that wrote its savings
 * figures, who ran them, and the months with no tracker marked. `to` (YYYY-MM) is the last month
 * shown, twelve in all; by default up to the latest month with figures.
 */
export function ImportCalendar({
  to,
  onMonth,
}: {
  to: string | null;
  /** Called with the month picked ("" when cleared): the page keeps it in its address. */
  onMonth: (to: string) => void;
}) {
  const id = useId();
  const state = useGraphql<{
    importsByMonth: PartnershipMonths[];
    importChecksByMonth: MonthChecks[];
  }>(CALENDAR, {
    from: null,
    to: to || null,
  });
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Trackers by partnership and month</h2>
      <div className="filters">
        <div>
          <label htmlFor={`${id}-to`}>Twelve months up to</label>
          <input
            id={`${id}-to`}
            type="month"
            value={to ?? ""}
            onChange={(e) => onMonth(e.target.value)}
          />
        </div>
      </div>
      <Loaded state={state}>
        {({ importsByMonth, importChecksByMonth }) => {
          // Newest first: the months an analyst is chasing are the recent ones.
          const months = [...(importsByMonth[0]?.months ?? [])].reverse();
          const checks = [...importChecksByMonth].reverse();
          return (
            <div className="table-wrap">
              <table className="calendar" data-testid="import-calendar">
                <caption>
                  Each month's imports that wrote savings figures, newest month
                  first; “No tracker” marks a month since the partnership's
                  first tracker with none. Dry runs and refused runs wrote
                  nothing: they are in the last row, by month.
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Partnership</th>
                    {months.map((m) => (
                      <th scope="col" key={m.reportingPeriod}>
                        {formatPeriod(m.reportingPeriod)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {importsByMonth.map((p) => (
                    <tr key={p.partnership.id}>
                      <th scope="row">
                        <a href={href("partnerships", p.partnership.id)}>
                          {p.partnership.name}
                        </a>
                        {p.missingMonths > 0 && (
                          <span className="note">
                            {p.missingMonths} month(s) without a tracker
                          </span>
                        )}
                      </th>
                      {[...p.months].reverse().map((m) => (
                        <td
                          key={m.reportingPeriod}
                          data-period={m.reportingPeriod}
                          className={
                            m.figureCount > 0
                              ? "tracked"
                              : m.beforeFirstTracker
                                ? "before"
                                : "missing"
                          }
                        >
                          {m.runs.map((run) => (
                            <a
                              key={run.id}
                              className="source"
                              href={href("history", run.id)}
                              title={`${run.fileName}, run by ${run.runBy}`}
                            >
                              {run.fileName}
                              <span className="note">{run.runBy}</span>
                            </a>
                          ))}
                          {m.figureCount > 0 ? (
                            <span className="note">
                              {m.figureCount} figure(s)
                            </span>
                          ) : m.beforeFirstTracker ? (
                            <span className="muted">
                              —
                              <span className="sr-only">
                                before its first tracker
                              </span>
                            </span>
                          ) : (
                            <span className="badge bad">No tracker</span>
                          )}
                        </td>
                      ))}
                    </tr>
                  ))}
                  {checks.some((m) => m.runs.length > 0) && (
                    <tr className="checks" data-testid="import-checks">
                      <th scope="row">
                        Checks that wrote nothing
                        <span className="note">dry runs and refused runs</span>
                      </th>
                      {checks.map((m) => (
                        <td
                          key={m.reportingPeriod}
                          data-period={m.reportingPeriod}
                        >
                          {m.runs.map((run) => (
                            <a
                              key={run.id}
                              className="source"
                              href={href("history", run.id)}
                              title={`${enumWords(run.status)}: ${run.fileName}, run by ${run.runBy}`}
                            >
                              <span
                                className={`badge ${run.status === "REFUSED" ? "bad" : "neutral"}`}
                              >
                                {run.status === "REFUSED"
                                  ? "Refused"
                                  : "Dry run"}
                              </span>{" "}
                              {run.fileName}
                              <span className="note">{run.runBy}</span>
                            </a>
                          ))}
                        </td>
                      ))}
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
          );
        }}
      </Loaded>
    </section>
  );
}

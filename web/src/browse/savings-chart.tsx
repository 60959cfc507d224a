import { formatMoney } from "../format/format-money";

/** One financial year's target and achieved totals (exact decimal strings). */
export interface YearBars {
  financialYear: string;
  target: string | null;
  achieved: string | null;
}

const HEIGHT = 160;
const BAR = 18;

/**
 * Target beside achieved per financial year, as bars. Heights are drawn from the amounts as numbers,
 * which is only a picture: every figure shown in words stays the exact decimal string.
 */
export function SavingsChart({
  years,
  title,
}: {
  years: YearBars[];
  title: string;
}) {
  const value = (amount: string | null) => Math.max(0, Number(amount ?? 0));
  const top = Math.max(
    1,
    ...years.flatMap((y) => [value(y.target), value(y.achieved)]),
  );
  const slot = BAR * 2 + 24;
  const width = Math.max(240, years.length * slot + 16);
  const describe = years
    .map(
      (y) =>
        `${y.financialYear}: target ${formatMoney(y.target)}, achieved ${formatMoney(y.achieved)}`,
    )
    .join("; ");
  return (
    <figure className="chart">
      <svg
        role="img"
        aria-label={`${title}. ${describe}`}
        viewBox={`0 0 ${width} ${HEIGHT + 36}`}
        width={width}
        height={HEIGHT + 36}
      >
        {years.map((y, i) => {
          const x = 8 + i * slot;
          const bar = (amount: string | null, dx: number, kind: string) => {
            const h = Math.round((value(amount) / top) * HEIGHT);
            return (
              <rect
                className={kind}
                x={x + dx}
                y={HEIGHT - h + 4}
                width={BAR}
                height={h}
              >
                <title>{`${y.financialYear} ${kind}: ${formatMoney(amount)}`}</title>
              </rect>
            );
          };
          return (
            <g key={y.financialYear}>
              {bar(y.target, 0, "target")}
              {bar(y.achieved, BAR + 2, "achieved")}
              <text x={x + BAR} y={HEIGHT + 22} textAnchor="middle">
                {y.financialYear}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span className="key target" aria-hidden="true" /> Target{" "}
        <span className="key achieved" aria-hidden="true" /> Achieved
      </figcaption>
    </figure>
  );
}

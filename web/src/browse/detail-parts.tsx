import type { ReactNode } from "react";

/** A titled block of a detail page. */
export function Part({
  title,
  children,
}: {
  title: string;
  children: ReactNode;
}) {
  return (
    <section className="part">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** Label/value pairs; empty values are left out. */
export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  const shown = rows.filter(
    ([, value]) =>
      value !== null && value !== undefined && value !== "" && value !== "—",
  );
  return (
    <dl className="facts">
      {shown.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A list of links, or a sentence when it is empty. */
export function LinkList({
  items,
  empty,
}: {
  items: { key: string; link: string; name: string; detail?: string }[];
  empty: string;
}) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="list">
      {items.map((item) => (
        <li key={item.key}>
          <a href={item.link}>{item.name}</a>
          {item.detail && <span className="muted">{item.detail}</span>}
        </li>
      ))}
    </ul>
  );
}

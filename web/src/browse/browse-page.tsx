import { useEffect, useId, useState } from "react";
import type { Route } from "../app/use-hash-route";
import { CouncilDetail } from "./council-detail";
import { GovernanceDetail } from "./governance-detail";
import { KINDS, type BrowseKind } from "./browse-kinds";
import { BrowseList } from "./browse-list";
import { PartnershipDetail } from "./partnership-detail";
import { ServiceDetail } from "./service-detail";

/** Councils, partnerships, services and governance bodies: a searchable list, or one of them. */
export function BrowsePage({ route }: { route: Route }) {
  const kind = route.segments[0] as BrowseKind;
  const id = route.segments[1];
  if (id) {
    if (kind === "councils") return <CouncilDetail code={id} />;
    if (kind === "partnerships") return <PartnershipDetail id={id} />;
    if (kind === "services") return <ServiceDetail id={id} />;
    return <GovernanceDetail id={id} />;
  }
  return <BrowseSearch kind={kind} search={route.params.get("q") ?? ""} />;
}

function BrowseSearch({ kind, search }: { kind: BrowseKind; search: string }) {
  const [text, setText] = useState(search);
  useEffect(() => setText(search), [search]);
  const id = useId();
  // The search is part of the address, so a search can be bookmarked and the back button works.
  useEffect(() => {
    const timer = setTimeout(() => {
      // Only while the list is still shown: a link clicked meanwhile has moved on to another page.
      const onList = /^#\/[^/?]*(\?|$)/.test(window.location.hash);
      if (text !== search && onList)
        window.location.replace(
          `#/${kind}${text ? `?q=${encodeURIComponent(text)}` : ""}`,
        );
    }, 250);
    return () => clearTimeout(timer);
  }, [text, search, kind]);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{KINDS[kind].title}</h1>
      <div className="search">
        <label htmlFor={`${id}-search`}>Search {KINDS[kind].noun}</label>
        <input
          id={`${id}-search`}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={KINDS[kind].placeholder}
        />
      </div>
      <BrowseList kind={kind} search={search} />
    </section>
  );
}

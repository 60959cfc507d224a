import { useGraphql } from "../api/use-graphql";
import { Loaded } from "../app/status-message";
import { href } from "../app/use-hash-route";
import { enumWords } from "../format/format-words";
import type { BrowseKind } from "./browse-kinds";

interface Item {
  key: string;
  link: string;
  name: string;
  detail: string;
}

type Edges<T> = { totalCount: number; edges: { node: T }[] };

const QUERIES: Record<BrowseKind, string> = {
  councils: `query Councils($search: String) { list: councils(search: $search, first: 100) {
    totalCount edges { node { gssCode officialName shortName type current } } } }`,
  partnerships: `query Partnerships($search: String) { list: partnerships(search: $search, first: 100) {
    totalCount edges { node { id name status members { council { shortName } } } } } }`,
  services: `query Services($search: String) { list: services(search: $search, first: 100) {
    totalCount edges { node { id name partnership { name } hostCouncil { shortName } status } } } }`,
  // governanceBodies has no search argument: the page filters the (short) list by name itself.
  governance: `query Governance { list: governanceBodies(first: 100) {
    totalCount edges { node { id name kind partnership { name } } } } }`,
};

type Node = Record<string, unknown> & {
  gssCode?: string;
  id?: string;
  name?: string;
  officialName?: string;
  shortName?: string;
  type?: string;
  current?: boolean;
  status?: string;
  kind?: string;
  partnership?: { name: string };
  hostCouncil?: { shortName: string } | null;
  members?: { council: { shortName: string } }[];
};

function toItem(kind: BrowseKind, node: Node): Item {
  switch (kind) {
    case "councils":
      return {
        key: node.gssCode!,
        link: href("councils", node.gssCode!),
        name: node.officialName!,
        detail: `${node.gssCode} · ${enumWords(node.type)}${node.current ? "" : " · former council"}`,
      };
    case "partnerships":
      return {
        key: node.id!,
        link: href("partnerships", node.id!),
        name: node.name!,
        detail: `${enumWords(node.status)} · ${node.members!.map((m) => m.council.shortName).join(", ")}`,
      };
    case "services":
      return {
        key: node.id!,
        link: href("services", node.id!),
        name: node.name!,
        detail: `${node.partnership!.name}${node.hostCouncil ? ` · hosted by ${node.hostCouncil.shortName}` : ""}`,
      };
    case "governance":
      return {
        key: node.id!,
        link: href("governance", node.id!),
        name: node.name!,
        detail: `${enumWords(node.kind)} · ${node.partnership!.name}`,
      };
  }
}

/** The first 100 of a kind matching `search`, each linking to its page. */
export function BrowseList({
  kind,
  search,
}: {
  kind: BrowseKind;
  search: string;
}) {
  const state = useGraphql<{ list: Edges<Node> }>(
    QUERIES[kind],
    kind === "governance" ? {} : { search: search || null },
  );
  return (
    <Loaded state={state}>
      {({ list }) => {
        const needle = search.toLowerCase();
        const items = list.edges
          .map((edge) => toItem(kind, edge.node))
          .filter(
            (item) =>
              kind !== "governance" ||
              !needle ||
              `${item.name} ${item.detail}`.toLowerCase().includes(needle),
          );
        return (
          <>
            <p className="muted" role="status">
              {items.length === 0
                ? "Nothing matches."
                : `${kind === "governance" ? items.length : list.totalCount} found${list.totalCount > 100 && kind !== "governance" ? "; the first 100 are shown, search to narrow them" : ""}.`}
            </p>
            <ul className="list">
              {items.map((item) => (
                <li key={item.key}>
                  <a href={item.link}>{item.name}</a>
                  <span className="muted">{item.detail}</span>
                </li>
              ))}
            </ul>
          </>
        );
      }}
    </Loaded>
  );
}

import { useGraphql } from "../api/use-graphql";
import { Loaded } from "../app/status-message";
import { href } from "../app/use-hash-route";
import { formatDate } from "../format/format-date";
import { enumWords } from "../format/format-words";
import { useViewer } from "../app/viewer";
import { CouncilPosition } from "./council-position";
import { Facts, LinkList, Part } from "./detail-parts";

const QUERY = `query Council($code: String!) { council(code: $code) {
  gssCode officialName shortName type registerCode startDate endDate alternativeNames
  predecessors { gssCode officialName } successors { gssCode officialName }
  memberships(first: 100) { edges { node { role costSharePercent partnership { id name } } } }
  hostedServices(first: 100) { edges { node { id name partnership { name } } } }
  governanceSeats { id role seats body { id name } }
} }`;

interface Council {
  gssCode: string;
  officialName: string;
  shortName: string;
  type: string;
  registerCode: string | null;
  startDate: string | null;
  endDate: string | null;
  alternativeNames: string[];
  predecessors: { gssCode: string; officialName: string }[];
  successors: { gssCode: string; officialName: string }[];
  memberships: {
    edges: {
      node: {
        role: string;
        costSharePercent: string | null;
        partnership: { id: string; name: string };
      };
    }[];
  };
  hostedServices: {
    edges: {
      node: { id: string; name: string; partnership: { name: string } };
    }[];
  };
  governanceSeats: {
    id: string;
    role: string | null;
    seats: number | null;
    body: { id: string; name: string };
  }[];
}

/** One council with its partnerships, hosted services and seats, each a link. */
export function CouncilDetail({ code }: { code: string }) {
  const viewer = useViewer();
  const state = useGraphql<{ council: Council }>(QUERY, { code });
  return (
    <Loaded state={state}>
      {({ council }) => (
        <article aria-labelledby="council-title">
          <p className="crumbs">
            <a href={href("councils")}>Councils</a>
          </p>
          <h1 id="council-title">{council.officialName}</h1>
          <Facts
            rows={[
              ["GSS code", council.gssCode],
              ["Kind", enumWords(council.type)],
              ["Register code", council.registerCode],
              ["Since", formatDate(council.startDate)],
              ["Until", formatDate(council.endDate)],
              ["Also known as", council.alternativeNames.join(", ")],
            ]}
          />
          <Part title="Partnerships">
            <LinkList
              empty="This council is not a member of any partnership."
              items={council.memberships.edges.map(({ node }) => ({
                key: node.partnership.id,
                link: href("partnerships", node.partnership.id),
                name: node.partnership.name,
                detail: `${enumWords(node.role)}${node.costSharePercent ? ` · cost share ${node.costSharePercent}%` : ""}`,
              }))}
            />
          </Part>
          <Part title="Services it hosts or leads">
            <LinkList
              empty="None."
              items={council.hostedServices.edges.map(({ node }) => ({
                key: node.id,
                link: href("services", node.id),
                name: node.name,
                detail: node.partnership.name,
              }))}
            />
          </Part>
          <Part title="Seats on governance bodies">
            <LinkList
              empty="None."
              items={council.governanceSeats.map((seat) => ({
                key: seat.id,
                link: href("governance", seat.body.id),
                name: seat.body.name,
                detail: [seat.role, seat.seats ? `${seat.seats} seat(s)` : ""]
                  .filter(Boolean)
                  .join(" · "),
              }))}
            />
          </Part>
          {(council.predecessors.length > 0 ||
            council.successors.length > 0) && (
            <Part title="Before and after">
              <LinkList
                empty=""
                items={[
                  ...council.predecessors.map((c) => ({
                    key: c.gssCode,
                    link: href("councils", c.gssCode),
                    name: c.officialName,
                    detail: "predecessor",
                  })),
                  ...council.successors.map((c) => ({
                    key: c.gssCode,
                    link: href("councils", c.gssCode),
                    name: c.officialName,
                    detail: "successor",
                  })),
                ]}
              />
            </Part>
          )}
          {viewer?.mayReconcile && <CouncilPosition code={council.gssCode} />}
        </article>
      )}
    </Loaded>
  );
}

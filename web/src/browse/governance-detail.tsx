import { useGraphql } from "../api/use-graphql";
import { Loaded } from "../app/status-message";
import { href } from "../app/use-hash-route";
import { enumWords } from "../format/format-words";
import { Facts, LinkList, Part } from "./detail-parts";

const QUERY = `query GovernanceBody($id: ID!) { node(id: $id) { ... on GovernanceBody {
  id name kind chair notes partnership { id name }
  seats { id role seats council { gssCode shortName } }
  services { id name }
} } }`;

interface Body {
  id: string;
  name: string;
  kind: string;
  chair: string | null;
  notes: string | null;
  partnership: { id: string; name: string };
  seats: {
    id: string;
    role: string | null;
    seats: number | null;
    council: { gssCode: string; shortName: string };
  }[];
  services: { id: string; name: string }[];
}

/** One governance body: its partnership, the councils with seats, and the services it governs. */
export function GovernanceDetail({ id }: { id: string }) {
  const state = useGraphql<{ node: Body }>(QUERY, { id });
  return (
    <Loaded state={state}>
      {({ node: b }) => (
        <article aria-labelledby="body-title">
          <p className="crumbs">
            <a href={href("governance")}>Governance bodies</a>
          </p>
          <h1 id="body-title">{b.name}</h1>
          <Facts
            rows={[
              ["Kind", enumWords(b.kind)],
              [
                "Partnership",
                <a href={href("partnerships", b.partnership.id)}>
                  {b.partnership.name}
                </a>,
              ],
              ["Chair", b.chair],
              ["Notes", b.notes],
            ]}
          />
          <Part title="Seats">
            <LinkList
              empty="No seats are recorded."
              items={b.seats.map((seat) => ({
                key: seat.id,
                link: href("councils", seat.council.gssCode),
                name: seat.council.shortName,
                detail: [seat.role, seat.seats ? `${seat.seats} seat(s)` : ""]
                  .filter(Boolean)
                  .join(" · "),
              }))}
            />
          </Part>
          <Part title="Services it governs">
            <LinkList
              empty="None recorded."
              items={b.services.map((s) => ({
                key: s.id,
                link: href("services", s.id),
                name: s.name,
              }))}
            />
          </Part>
        </article>
      )}
    </Loaded>
  );
}

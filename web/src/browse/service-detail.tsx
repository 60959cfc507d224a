import { useGraphql } from "../api/use-graphql";
import { Loaded } from "../app/status-message";
import { href } from "../app/use-hash-route";
import { formatDate } from "../format/format-date";
import { enumWords } from "../format/format-words";
import { Facts, LinkList, Part } from "./detail-parts";

const QUERY = `query Service($id: ID!) { service(id: $id) {
  id name category status statusText goLiveDate goLiveText notes hostRole
  partnership { id name } hostCouncil { gssCode shortName }
  partnerCouncils { gssCode shortName } governingBody { id name }
} }`;

interface Service {
  id: string;
  name: string;
  category: string | null;
  status: string | null;
  statusText: string | null;
  goLiveDate: string | null;
  goLiveText: string | null;
  notes: string | null;
  hostRole: string | null;
  partnership: { id: string; name: string };
  hostCouncil: { gssCode: string; shortName: string } | null;
  partnerCouncils: { gssCode: string; shortName: string }[];
  governingBody: { id: string; name: string } | null;
}

/** One service: its partnership, host, partner councils and governing body. */
export function ServiceDetail({ id }: { id: string }) {
  const state = useGraphql<{ service: Service }>(QUERY, { id });
  return (
    <Loaded state={state}>
      {({ service: s }) => (
        <article aria-labelledby="service-title">
          <p className="crumbs">
            <a href={href("services")}>Services</a>
          </p>
          <h1 id="service-title">{s.name}</h1>
          <Facts
            rows={[
              [
                "Partnership",
                <a href={href("partnerships", s.partnership.id)}>
                  {s.partnership.name}
                </a>,
              ],
              [
                enumWords(s.hostRole ?? "HOST"),
                s.hostCouncil && (
                  <a href={href("councils", s.hostCouncil.gssCode)}>
                    {s.hostCouncil.shortName}
                  </a>
                ),
              ],
              [
                "Governed by",
                s.governingBody && (
                  <a href={href("governance", s.governingBody.id)}>
                    {s.governingBody.name}
                  </a>
                ),
              ],
              ["Category", s.category],
              ["Status", s.statusText ?? enumWords(s.status)],
              [
                "Goes live",
                s.goLiveDate ? formatDate(s.goLiveDate) : s.goLiveText,
              ],
              ["Notes", s.notes],
            ]}
          />
          <Part title="Partner councils">
            <LinkList
              empty="No partner councils are recorded."
              items={s.partnerCouncils.map((c) => ({
                key: c.gssCode,
                link: href("councils", c.gssCode),
                name: c.shortName,
              }))}
            />
          </Part>
        </article>
      )}
    </Loaded>
  );
}

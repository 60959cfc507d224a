import { useGraphql } from "../api/use-graphql";
import { MoneyCell } from "../app/money-table";
import { Loaded } from "../app/status-message";
import { href } from "../app/use-hash-route";
import { useViewer } from "../app/viewer";
import { formatDate } from "../format/format-date";
import { enumWords } from "../format/format-words";
import { Facts, LinkList, Part } from "./detail-parts";
import { SavingsChart } from "./savings-chart";

const QUERY = `query Partnership($id: ID!) { partnership(id: $id) {
  id name status description startDate alternativeNames
  members { id role costSharePercent council { gssCode shortName } }
  services(first: 100) { edges { node { id name hostCouncil { shortName } } } }
  governanceBodies { id name kind }
  savingsSummary { financialYear measures { measure total { amount } } }
} }`;

interface Partnership {
  id: string;
  name: string;
  status: string;
  description: string | null;
  startDate: string | null;
  alternativeNames: string[];
  members: {
    id: string;
    role: string;
    costSharePercent: string | null;
    council: { gssCode: string; shortName: string };
  }[];
  services: {
    edges: {
      node: {
        id: string;
        name: string;
        hostCouncil: { shortName: string } | null;
      };
    }[];
  };
  governanceBodies: { id: string; name: string; kind: string }[];
  savingsSummary: {
    financialYear: string;
    measures: { measure: string; total: { amount: string } }[];
  }[];
}

const MEASURES = ["TARGET", "ESTIMATE", "FORECAST", "ACHIEVED"];

/** One partnership with its members, services, governance and savings by year. */
export function PartnershipDetail({ id }: { id: string }) {
  const viewer = useViewer();
  const state = useGraphql<{ partnership: Partnership }>(QUERY, { id });
  return (
    <Loaded state={state}>
      {({ partnership: p }) => (
        <article aria-labelledby="partnership-title">
          <p className="crumbs">
            <a href={href("partnerships")}>Partnerships</a>
          </p>
          <h1 id="partnership-title">{p.name}</h1>
          {p.description && <p>{p.description}</p>}
          <Facts
            rows={[
              ["Status", enumWords(p.status)],
              ["Since", formatDate(p.startDate)],
              ["Also known as", p.alternativeNames.join(", ")],
            ]}
          />
          <Part title="Members">
            <LinkList
              empty="No members are recorded."
              items={p.members.map((m) => ({
                key: m.id,
                link: href("councils", m.council.gssCode),
                name: m.council.shortName,
                detail: `${enumWords(m.role)}${m.costSharePercent ? ` · cost share ${m.costSharePercent}%` : ""}`,
              }))}
            />
          </Part>
          <Part title="Services">
            <LinkList
              empty="No services are recorded."
              items={p.services.edges.map(({ node }) => ({
                key: node.id,
                link: href("services", node.id),
                name: node.name,
                detail: node.hostCouncil
                  ? `hosted by ${node.hostCouncil.shortName}`
                  : "",
              }))}
            />
          </Part>
          <Part title="Governance bodies">
            <LinkList
              empty="No governance bodies are recorded."
              items={p.governanceBodies.map((g) => ({
                key: g.id,
                link: href("governance", g.id),
                name: g.name,
                detail: enumWords(g.kind),
              }))}
            />
          </Part>
          {p.savingsSummary.length > 0 && (
            <Part title="Savings by financial year">
              <SavingsChart
                title={`Savings of ${p.name}, target against achieved`}
                years={p.savingsSummary.map((year) => ({
                  financialYear: year.financialYear,
                  target:
                    year.measures.find((x) => x.measure === "TARGET")?.total
                      .amount ?? null,
                  achieved:
                    year.measures.find((x) => x.measure === "ACHIEVED")?.total
                      .amount ?? null,
                }))}
              />
              <div className="table-wrap">
                <table>
                  <caption className="sr-only">
                    Savings of {p.name} by financial year and measure
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Year</th>
                      {MEASURES.map((m) => (
                        <th scope="col" key={m} className="num">
                          {enumWords(m)}
                        </th>
                      ))}
                      {viewer?.mayReconcile && <th scope="col">Reconcile</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {p.savingsSummary.map((year) => (
                      <tr key={year.financialYear}>
                        <th scope="row">{year.financialYear}</th>
                        {MEASURES.map((m) => (
                          <MoneyCell
                            key={m}
                            amount={
                              year.measures.find((x) => x.measure === m)?.total
                                .amount
                            }
                          />
                        ))}
                        {viewer?.mayReconcile && (
                          <td>
                            <a
                              href={href("reconciliation", {
                                partnership: p.id,
                                year: year.financialYear,
                              })}
                            >
                              Reconcile {year.financialYear}
                            </a>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Part>
          )}
        </article>
      )}
    </Loaded>
  );
}

import { href } from "../app/use-hash-route";
import { useViewer } from "../app/viewer";

const ROLE_ALLOWS: Record<string, string> = {
  VIEWER:
    "read councils, partnerships, services, governance, savings and import history",
  ANALYST: "read everything a viewer reads, and import workbooks",
  FINANCE:
    "import workbooks, reconcile savings and download the reconciliation workbook",
  ADMIN: "do everything, including managing tokens and reading the audit log",
};

/** What the signed-in role allows, with links to each part of the page. */
export function HomePage() {
  const viewer = useViewer()!;
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">Shared Services Hub</h1>
      <p>
        Signed in as <strong>{viewer.name}</strong> with the role{" "}
        <strong>{viewer.role.toLowerCase()}</strong>: you may{" "}
        {ROLE_ALLOWS[viewer.role]}.
        {viewer.councilGssCodes &&
          ` Savings and imports are limited to the partnerships of ${viewer.councilGssCodes.join(", ")}.`}
      </p>
      <ul className="tiles">
        <li>
          <a href={href("councils")}>Councils</a>
          <span>and the partnerships, services and seats of each</span>
        </li>
        <li>
          <a href={href("partnerships")}>Partnerships</a>
          <span>members, services and governance bodies</span>
        </li>
        <li>
          <a href={href("services")}>Services</a>
          <span>who hosts them and who takes part</span>
        </li>
        <li>
          <a href={href("governance")}>Governance bodies</a>
          <span>joint committees, boards and their seats</span>
        </li>
        {viewer.mayReconcile && (
          <li>
            <a href={href("reconciliation")}>Reconciliation</a>
            <span>totals, expected shares and claims, with variances</span>
          </li>
        )}
        {viewer.mayImport && (
          <li>
            <a href={href("import")}>Import</a>
            <span>check a workbook with a dry run, then import it</span>
          </li>
        )}
        <li>
          <a href={href("history")}>History</a>
          <span>every import run with its report</span>
        </li>
        <li>
          <a href="/graphql">GraphQL IDE</a>
          <span>for front-end teams: the API with its documentation</span>
        </li>
      </ul>
    </section>
  );
}

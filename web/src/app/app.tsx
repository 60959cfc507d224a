import { useCallback, useEffect, useState } from "react";
import {
  graphql,
  HubRequestError,
  TOKEN_REFUSED_EVENT,
} from "../api/hub-request";
import { sessionToken, setSessionToken } from "../api/session-token";
import { BrowsePage } from "../browse/browse-page";
import { HistoryPage } from "../pages/history-page";
import { HomePage } from "../pages/home-page";
import { ImportPage } from "../pages/import-page";
import { ReconciliationPage } from "../pages/reconciliation-page";
import { SignInForm } from "../pages/sign-in-form";
import { ErrorMessage } from "./status-message";
import { href, useHashRoute } from "./use-hash-route";
import { VIEWER_QUERY, ViewerContext, type Viewer } from "./viewer";

const BROWSE = ["councils", "partnerships", "services", "governance"];

type SignIn =
  | { kind: "checking" }
  | { kind: "signed-in"; viewer: Viewer }
  | { kind: "signed-out"; error: string | null };

/** The web page: who is signed in, the navigation, and the page the URL names. */
export function App() {
  const route = useHashRoute();
  const [signIn, setSignIn] = useState<SignIn>({ kind: "checking" });

  // Asks the hub who the tab's token (or no token, in development) is; a refused token signs out.
  const check = useCallback(async () => {
    setSignIn({ kind: "checking" });
    const sent = sessionToken();
    try {
      const { viewer } = await graphql<{ viewer: Viewer }>(VIEWER_QUERY);
      setSignIn({ kind: "signed-in", viewer });
    } catch (error) {
      const unauthenticated =
        error instanceof HubRequestError && error.status === 401;
      if (unauthenticated) setSessionToken(null);
      // Production without a token: just the sign-in form, no error to read.
      setSignIn({
        kind: "signed-out",
        error:
          unauthenticated && !sent
            ? null
            : error instanceof Error
              ? error.message
              : String(error),
      });
    }
  }, []);
  useEffect(() => void check(), [check]);
  // A token that expires or is revoked while the page is open: back to sign-in, saying why.
  useEffect(() => {
    const onRefused = (event: Event) => {
      if (!sessionToken()) return;
      setSessionToken(null);
      setSignIn({
        kind: "signed-out",
        error: String((event as CustomEvent<string>).detail),
      });
    };
    window.addEventListener(TOKEN_REFUSED_EVENT, onRefused);
    return () => window.removeEventListener(TOKEN_REFUSED_EVENT, onRefused);
  }, []);

  const signInWith = (token: string) => {
    setSessionToken(token);
    void check();
  };
  const signOut = () => {
    setSessionToken(null);
    void check();
  };

  const viewer = signIn.kind === "signed-in" ? signIn.viewer : null;
  const page = route.segments[0] ?? "";
  const links: [string, string, boolean][] = [
    ["", "Home", true],
    ["councils", "Councils", true],
    ["partnerships", "Partnerships", true],
    ["services", "Services", true],
    ["governance", "Governance", true],
    ["reconciliation", "Reconciliation", viewer?.mayReconcile ?? false],
    ["import", "Import", viewer?.mayImport ?? false],
    ["history", "History", true],
  ];

  return (
    <ViewerContext.Provider value={viewer}>
      <a className="skip" href="#main" onClick={focusMain}>
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href="#/">
          Shared Services Hub
        </a>
        {viewer && (
          <nav aria-label="Main">
            <ul>
              {links
                .filter(([, , shown]) => shown)
                .map(([target, label]) => (
                  <li key={target}>
                    <a
                      href={href(target)}
                      aria-current={page === target ? "page" : undefined}
                    >
                      {label}
                    </a>
                  </li>
                ))}
              <li>
                <a href="/graphql">GraphQL IDE</a>
              </li>
            </ul>
          </nav>
        )}
        {viewer && (
          <div className="who">
            <span data-testid="viewer-name">{viewer.name}</span>{" "}
            <span className="role" data-testid="viewer-role">
              {viewer.role.toLowerCase()}
            </span>
            {!viewer.anonymous && (
              <button type="button" className="link" onClick={signOut}>
                Sign out
              </button>
            )}
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {signIn.kind === "checking" && (
          <p className="muted" role="status">
            Checking who you are…
          </p>
        )}
        {signIn.kind === "signed-out" && (
          <>
            {signIn.error && <ErrorMessage>{signIn.error}</ErrorMessage>}
            <SignInForm onSignIn={signInWith} />
          </>
        )}
        {viewer && (
          <>
            {viewer.anonymous && page === "" && (
              <SignInForm onSignIn={signInWith} anonymous />
            )}
            {page === "" && <HomePage />}
            {BROWSE.includes(page) && <BrowsePage route={route} />}
            {page === "reconciliation" && <ReconciliationPage route={route} />}
            {page === "import" && <ImportPage />}
            {page === "history" && <HistoryPage route={route} />}
            {![...BROWSE, "", "reconciliation", "import", "history"].includes(
              page,
            ) && (
              <ErrorMessage>
                There is no page at this address. Use the menu to find what you
                need.
              </ErrorMessage>
            )}
          </>
        )}
      </main>
    </ViewerContext.Provider>
  );
}

function focusMain(event: React.MouseEvent) {
  event.preventDefault();
  document.getElementById("main")?.focus();
}

import { useId, useState, type FormEvent } from "react";

/** Paste an API token; it stays in this tab's session storage and goes to the hub as a bearer header. */
export function SignInForm({
  onSignIn,
  anonymous = false,
}: {
  onSignIn: (token: string) => void;
  anonymous?: boolean;
}) {
  const [token, setToken] = useState("");
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onSignIn(token.trim());
  };
  return (
    <section className="card sign-in" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{anonymous ? "Use a token" : "Sign in"}</h2>
      <p>
        {anonymous
          ? "The hub runs in development mode: you read as an anonymous viewer. Paste a token to act with its role."
          : "Paste your API token. An admin creates one with sshub token create. It is kept in this browser tab only and forgotten when the tab closes."}
      </p>
      <form onSubmit={submit}>
        <label htmlFor={`${id}-token`}>API token</label>
        <div className="row">
          <input
            id={`${id}-token`}
            name="token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            placeholder="sshub_…"
          />
          <button type="submit">Sign in</button>
        </div>
      </form>
    </section>
  );
}

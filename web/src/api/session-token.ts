/** The tab's API token: session storage only (gone when the tab closes), never a cookie, so no CSRF surface. */
const KEY = "sshub.token";

/** The token pasted at sign-in, or null (anonymous: development mode only). */
export function sessionToken(): string | null {
  return sessionStorage.getItem(KEY);
}

/** Keeps `token` for this tab; null signs out. */
export function setSessionToken(token: string | null): void {
  if (token) sessionStorage.setItem(KEY, token.trim());
  else sessionStorage.removeItem(KEY);
}

/** The Authorization header for the tab's token, if there is one. */
export function authorizationHeader(): Record<string, string> {
  const token = sessionToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

import type { ApiToken } from "../../schema/api-token.js";

/**
 * How long a token row read from the database answers for it without being read again: under a
 * second, so that a revocation on another instance takes effect within a second here even when its
 * notification is lost (issue 14), while a client's burst of requests costs one read, not one each.
 */
export const TOKEN_ROW_FRESH_MS = 500;

/** The channel `revokeToken` notifies with the revoked token's id, and every hub instance listens on. */
export const TOKEN_REVOKED_CHANNEL = "sshub_token_revoked";

/** What a request needs of a token row it did not read itself. */
export type CheckedTokenRow = Pick<
  ApiToken,
  | "id"
  | "name"
  | "role"
  | "councilGssCodes"
  | "expiresAt"
  | "revokedAt"
  | "lastUsedAt"
>;

interface Entry {
  /** sha256 of the presented token whose secret matched this row. */
  fingerprint: string;
  row: CheckedTokenRow;
  readAt: number;
}

/**
 * Token rows read recently in this process, by token id, each with the fingerprint of the token
 * whose secret it verified. An entry answers only for the same presented token and only while
 * fresh; a revocation (here, or notified by another instance) drops it at once.
 */
class CheckedTokenCache {
  private readonly entries = new Map<number, Entry>();

  /** The row for `id` read less than TOKEN_ROW_FRESH_MS ago for the token with `fingerprint`, if any. */
  fresh(
    id: number,
    fingerprint: string,
    now = Date.now(),
  ): CheckedTokenRow | null {
    const entry = this.entries.get(id);
    if (!entry || entry.fingerprint !== fingerprint) return null;
    if (now - entry.readAt >= TOKEN_ROW_FRESH_MS) {
      this.entries.delete(id);
      return null;
    }
    return entry.row;
  }

  /** Keeps a row just read from the database for a token whose secret matched it. */
  remember(
    fingerprint: string,
    row: CheckedTokenRow,
    readAt = Date.now(),
  ): void {
    this.entries.set(row.id, { fingerprint, row, readAt });
  }

  /** Whether a row of token `id` is kept, fresh or not yet dropped (what a revocation must undo). */
  keeps(id: number): boolean {
    return this.entries.has(id);
  }

  /** Drops token `id`'s row: it was revoked, so the next request reads it again. */
  forget(id: number): void {
    this.entries.delete(id);
  }

  /** Drops every row (the revocation listener lost its connection, so notifications may be lost). */
  forgetAll(): void {
    this.entries.clear();
  }
}

/** The process's checked token rows (see CheckedTokenCache). */
export const checkedTokens = new CheckedTokenCache();

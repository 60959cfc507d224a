import type { EntityManager } from "@mikro-orm/postgresql";
import { createHash } from "node:crypto";
import { BadInputError, ErrorCode, HubError } from "../../errors/hub-error.js";
import { mapEntity } from "../loading/sql-rows.js";
import {
  runPrepared,
  withFoldedRead,
  type FoldedRead,
} from "../loading/prepared-sql.js";
import type { Row } from "../loading/sql-rows.js";
import { ApiToken } from "../../schema/api-token.js";
import { AuditAction } from "../../schema/audit-event.js";
import { Council } from "../../schema/council.js";
import type { Role } from "../../schema/role.js";
import type { Caller } from "../caller.js";
import { recordAudit } from "./record-audit.js";
import {
  hashSecret,
  newToken,
  parseToken,
  verifySecret,
} from "./token-secret.js";

/** A token was missing, malformed, unknown, expired or revoked. The message never says which secret part was wrong. */
export class UnauthenticatedError extends HubError {
  constructor(message: string) {
    super(ErrorCode.Unauthenticated, message);
  }
}

/** Reads "90d", "12h", "2w" or an ISO date into an expiry time; null for "never". */
export function parseExpiry(
  text: string | undefined,
  now = new Date(),
): Date | null {
  if (!text || text === "never") return null;
  const relative = /^(\d{1,5})([hdw])$/.exec(text.trim());
  if (relative) {
    const hours =
      { h: 1, d: 24, w: 24 * 7 }[relative[2] as "h" | "d" | "w"] *
      Number(relative[1]);
    return new Date(now.getTime() + hours * 3_600_000);
  }
  const date = new Date(text);
  if (
    /^\d{4}-\d{2}-\d{2}/.test(text) &&
    !Number.isNaN(date.getTime()) &&
    date > now
  )
    return date;
  throw new BadInputError(
    `--expires must be like 90d, 12h, 2w, a future date (YYYY-MM-DD) or "never"; it was "${text}".`,
  );
}

/** Creates a token; returns the token text, to be shown once and never again. */
export async function createToken(
  em: EntityManager,
  input: {
    name: string;
    role: Role;
    councils: readonly string[];
    expires?: string;
    createdBy: Caller;
  },
): Promise<{ token: string; record: ApiToken }> {
  const name = input.name.trim();
  if (!name)
    throw new BadInputError(
      "A token needs a --name saying who or what uses it.",
    );
  const expiresAt = parseExpiry(input.expires);
  const codes = [...new Set(input.councils.map((c) => c.trim().toUpperCase()))];
  if (codes.length) {
    const found = await em.find(Council, {
      $or: [{ gssCode: { $in: codes } }, { registerCode: { $in: codes } }],
    });
    const known = new Set(found.flatMap((c) => [c.gssCode, c.registerCode]));
    const unknown = codes.filter((c) => !known.has(c));
    if (unknown.length)
      throw new BadInputError(
        `Unknown council code(s): ${unknown.join(", ")}. Use GSS codes such as E07000034.`,
      );
    codes.splice(0, codes.length, ...found.map((c) => c.gssCode).sort());
  }
  return em.transactional(async (tx) => {
    if (await tx.count(ApiToken, { name }))
      throw new BadInputError(`A token named "${name}" exists already.`);
    const record = tx.create(ApiToken, {
      name,
      role: input.role,
      councilGssCodes: codes.length ? codes : null,
      secretHash: "pending",
      createdBy: input.createdBy.name,
      expiresAt,
    });
    await tx.flush();
    const { token, secret } = newToken(record.id);
    record.secretHash = await hashSecret(secret);
    recordAudit(tx, input.createdBy, AuditAction.TOKEN_CREATED, {
      token: name,
      role: input.role,
      councils: record.councilGssCodes ?? "national",
      expiresAt: expiresAt?.toISOString() ?? null,
    });
    await tx.flush();
    return { token, record };
  });
}

/** Revokes a token by name or id; revoked tokens stop working at once. */
export async function revokeToken(
  em: EntityManager,
  nameOrId: string,
  by: Caller,
): Promise<ApiToken> {
  return em.transactional(async (tx) => {
    const id = /^\d+$/.test(nameOrId) ? Number(nameOrId) : undefined;
    const record = await tx.findOne(
      ApiToken,
      id !== undefined
        ? { $or: [{ id }, { name: nameOrId }] }
        : { name: nameOrId },
    );
    if (!record) throw new BadInputError(`No token is named "${nameOrId}".`);
    if (!record.revokedAt) {
      record.revokedAt = new Date();
      recordAudit(tx, by, AuditAction.TOKEN_REVOKED, { token: record.name });
    }
    return record;
  });
}

// Verified secrets, by token id: a sha256 of the presented token, so scrypt runs once per token and
// process, not once per request. Expiry and revocation are still read from the database every time.
const verified = new Map<number, string>();
// Hashes under way, by fingerprint: a client's first burst of concurrent requests shares one.
const verifying = new Map<string, Promise<boolean>>();
// The caller each token was last confirmed as in this process, and when: what a query may start with
// while the token's row is read again (startParallelCheck). Dropped when a check refuses the token.
const confirmed = new Map<number, { caller: Caller; at: number }>();

/** How long after a token's last confirmed check a query may start before its row is read again (ms). */
export const PARALLEL_CHECK_WINDOW_MS = 60_000;

// Only what the check needs, by primary key, as a named prepared statement: it runs on every
// request, so PostgreSQL plans it once per connection, and the ORM's query building and
// hydration (which cost more than the rest of a small request) are not involved.
const TOKEN_ROW_SQL = `select id, name, role, council_gss_codes, secret_hash, expires_at, revoked_at, last_used_at
from api_token where id = ?`;

const fingerprintOf = (presented: string) =>
  createHash("sha256").update(presented.trim()).digest("hex");

/**
 * Whether checking `presented` starts no scrypt hash: its secret was verified in this process already
 * or is being verified now. Those checks are not guesses, so they are not taken from the
 * failed-authentication allowance (which 16 concurrent requests of one good client used to exhaust).
 */
export function isTokenCheckShared(presented: string): boolean {
  const parsed = parseToken(presented);
  if (!parsed) return false;
  const fingerprint = fingerprintOf(presented);
  return verified.get(parsed.id) === fingerprint || verifying.has(fingerprint);
}

/** Whether two callers may do and see exactly the same: same token name, role and councils. */
export function sameCaller(a: Caller, b: Caller): boolean {
  if (a.name !== b.name || a.role !== b.role) return false;
  const x = a.councilGssCodes;
  const y = b.councilGssCodes;
  if (x === null || y === null) return x === y;
  return x.length === y.length && x.every((code, i) => code === y[i]);
}

/** A token check under way, and the caller the token was last confirmed as (see startParallelCheck). */
export interface ParallelCheck {
  /** Who the token was at its last confirmed check in this process: what a query may start as. */
  assumed: Caller;
  /** The check of the token's row (read once `carry`'s work or `readAlone` reads it): its caller, or UNAUTHENTICATED. */
  check: Promise<Caller>;
  /**
   * Runs `work` (a query running as `assumed`) with the token's row read by its first plain read
   * statement (FoldedRead), in that statement's snapshot, instead of by a statement of its own.
   */
  carry<T>(work: () => T): T;
  /**
   * Makes sure the row is read: by a statement of its own now, unless a statement of `carry`'s work
   * is reading it (that statement failing or finding no rows reads it alone then). Call it at once
   * for work that must wait for the check, and once `carry`'s work has ended.
   */
  readAlone(): void;
}

/**
 * A check of a token's row, with the caller this process confirmed the same token as within
 * PARALLEL_CHECK_WINDOW_MS: work without side effects may start as `assumed` before `check` has
 * read the row, and is answered only if `check` confirms the same caller (sameCaller). The row is
 * read after the request has arrived either way: by the first read statement of the work
 * (`carry`), which saves a statement and a round trip per request, or alone (`readAlone`). Null
 * when the token was not confirmed here recently: the request waits for authenticateToken as usual.
 */
export function startParallelCheck(
  em: EntityManager,
  presented: string,
): ParallelCheck | null {
  const parsed = parseToken(presented);
  if (!parsed) return null;
  const fingerprint = fingerprintOf(presented);
  if (verified.get(parsed.id) !== fingerprint) return null;
  const last = confirmed.get(parsed.id);
  if (!last || Date.now() - last.at > PARALLEL_CHECK_WINDOW_MS) return null;
  let read: "offered" | "carried" | "alone" | "done" = "offered";
  let rowRead!: (row: Row | null) => void;
  let rowFailed!: (error: unknown) => void;
  const row = new Promise<Row | null>((resolve, reject) => {
    rowRead = resolve;
    rowFailed = reject;
  });
  const readAlone = () => {
    if (read !== "offered") return;
    read = "alone";
    runPrepared(em, TOKEN_ROW_SQL, [parsed.id]).then(
      ([found]) => rowRead(found ?? null),
      rowFailed,
    );
  };
  const folded: FoldedRead = {
    sql: `select row_to_json(t)::text from (${TOKEN_ROW_SQL}) t`,
    params: [parsed.id],
    claim() {
      if (read !== "offered") return false;
      read = "carried";
      return true;
    },
    settle(value) {
      if (read !== "carried") return;
      if (value === undefined) {
        read = "offered";
        readAlone();
        return;
      }
      read = "done";
      rowRead(value === null ? null : (JSON.parse(value) as Row));
    },
  };
  const check = confirmTokenRow(em, parsed, fingerprint, row);
  // Whoever started the check may stop waiting for it (its answer was refused for another reason).
  check.catch(() => undefined);
  return {
    assumed: last.caller,
    check,
    carry: (work) => withFoldedRead(folded, work),
    readAlone,
  };
}

/** Turns a presented bearer token into its caller, or throws UNAUTHENTICATED. */
export async function authenticateToken(
  em: EntityManager,
  presented: string,
): Promise<Caller> {
  const parsed = parseToken(presented);
  if (!parsed)
    throw new UnauthenticatedError(
      "The bearer token is not a Shared Services Hub token.",
    );
  const row = runPrepared(em, TOKEN_ROW_SQL, [parsed.id]).then(
    ([found]) => found ?? null,
  );
  return confirmTokenRow(em, parsed, fingerprintOf(presented), row);
}

/**
 * The check itself, once `rowRead` (the token's row as TOKEN_ROW_SQL reads it, or null) is under
 * way: the secret (scrypt, once per token and process), revocation, expiry; the last-used time
 * written at most once a minute; the caller the token is.
 */
async function confirmTokenRow(
  em: EntityManager,
  parsed: { id: number; secret: string },
  fingerprint: string,
  rowRead: Promise<Row | null>,
): Promise<Caller> {
  const known = verified.get(parsed.id) === fingerprint;
  // The hash check is registered before anything is awaited, so that a concurrent request with the
  // same token, arriving next, finds it under way (isTokenCheckShared) and waits for it.
  let shared = known ? undefined : verifying.get(fingerprint);
  if (!known && !shared) {
    shared = rowRead
      .then((row) =>
        row
          ? verifySecret(parsed.secret, mapEntity(em, ApiToken, row).secretHash)
          : false,
      )
      .finally(() => verifying.delete(fingerprint));
    // Awaited below unless the row could not be read, which fails this request anyway.
    shared.catch(() => undefined);
    verifying.set(fingerprint, shared);
  }
  const row = await rowRead;
  const record = row ? mapEntity(em, ApiToken, row) : null;
  try {
    if (!record)
      throw new UnauthenticatedError("The bearer token is not valid.");
    if (shared) {
      // The request that started a shared check may have been stopped (client gone): check anew.
      const matches = await shared.catch(() =>
        verifySecret(parsed.secret, record.secretHash),
      );
      if (!matches)
        throw new UnauthenticatedError("The bearer token is not valid.");
      verified.set(record.id, fingerprint);
    }
    const now = new Date();
    if (record.revokedAt)
      throw new UnauthenticatedError(`The token "${record.name}" was revoked.`);
    if (record.expiresAt && record.expiresAt <= now)
      throw new UnauthenticatedError(
        `The token "${record.name}" expired on ${record.expiresAt.toISOString()}.`,
      );
    if (
      !record.lastUsedAt ||
      now.getTime() - record.lastUsedAt.getTime() > 60_000
    ) {
      await em.nativeUpdate(ApiToken, { id: record.id }, { lastUsedAt: now });
    }
    const caller: Caller = {
      name: record.name,
      role: record.role,
      councilGssCodes: record.councilGssCodes ?? null,
    };
    confirmed.set(record.id, { caller, at: now.getTime() });
    return caller;
  } catch (error) {
    if (error instanceof UnauthenticatedError) confirmed.delete(parsed.id);
    throw error;
  }
}

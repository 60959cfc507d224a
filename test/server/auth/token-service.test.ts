import { describe, expect, it } from "vitest";
import { AuditEvent } from "../../../schema/audit-event.js";
import { ApiToken } from "../../../schema/api-token.js";
import { Role } from "../../../schema/role.js";
import { authenticateRequest } from "../../../server/auth/authenticate-request.js";
import {
  authenticateToken,
  createToken,
  parseExpiry,
  revokeToken,
} from "../../../server/auth/token-service.js";
import { parseToken } from "../../../server/auth/token-secret.js";
import { operatorCaller } from "../../../server/caller.js";
import { useTestDatabase } from "../../support/test-database.js";

const db = useTestDatabase();

const operator = operatorCaller();

describe("API tokens", () => {
  it("stores only a scrypt hash and authenticates the printed token as its caller", async () => {
    const { token, record } = await createToken(db.orm.em.fork(), {
      name: "derbyshire-dashboard",
      role: Role.VIEWER,
      councils: ["chs", "E07000033"],
      createdBy: operator,
    });
    expect(token).toMatch(/^sshub_\d+_[A-Za-z0-9_-]{43}$/);
    const stored = await db.orm.em
      .fork()
      .findOneOrFail(ApiToken, { id: record.id });
    expect(stored.secretHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored.secretHash).not.toContain(parseToken(token)!.secret);
    const caller = await authenticateToken(db.orm.em.fork(), token);
    expect(caller).toEqual({
      name: "derbyshire-dashboard",
      role: Role.VIEWER,
      councilGssCodes: ["E07000033", "E07000034"],
    });
  });

  it("refuses a token whose secret was changed, without saying which part", async () => {
    const { token } = await createToken(db.orm.em.fork(), {
      name: "tampered",
      role: Role.ADMIN,
      councils: [],
      createdBy: operator,
    });
    const last = token.at(-1) === "A" ? "B" : "A";
    await expect(
      authenticateToken(db.orm.em.fork(), token.slice(0, -1) + last),
    ).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      message: "The bearer token is not valid.",
    });
  });

  it("refuses a revoked token at once, even after it was verified", async () => {
    const { token } = await createToken(db.orm.em.fork(), {
      name: "to-revoke",
      role: Role.FINANCE,
      councils: [],
      createdBy: operator,
    });
    await authenticateToken(db.orm.em.fork(), token);
    await revokeToken(db.orm.em.fork(), "to-revoke", operator);
    await expect(
      authenticateToken(db.orm.em.fork(), token),
    ).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      message: expect.stringContaining("revoked"),
    });
  });

  it("refuses an expired token", async () => {
    const { token, record } = await createToken(db.orm.em.fork(), {
      name: "short-lived",
      role: Role.VIEWER,
      councils: [],
      expires: "1h",
      createdBy: operator,
    });
    await db.orm.em
      .fork()
      .nativeUpdate(
        ApiToken,
        { id: record.id },
        { expiresAt: new Date(Date.now() - 1000) },
      );
    await expect(
      authenticateToken(db.orm.em.fork(), token),
    ).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      message: expect.stringContaining("expired"),
    });
  });

  it("refuses unknown council codes and duplicate names with BAD_USER_INPUT", async () => {
    await expect(
      createToken(db.orm.em.fork(), {
        name: "x",
        role: Role.VIEWER,
        councils: ["E99999999"],
        createdBy: operator,
      }),
    ).rejects.toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("E99999999"),
    });
    await createToken(db.orm.em.fork(), {
      name: "twice",
      role: Role.VIEWER,
      councils: [],
      createdBy: operator,
    });
    await expect(
      createToken(db.orm.em.fork(), {
        name: "twice",
        role: Role.VIEWER,
        councils: [],
        createdBy: operator,
      }),
    ).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
  });

  it("records token creation and revocation in the audit log with the actor's name", async () => {
    const events = await db.orm.em
      .fork()
      .find(
        AuditEvent,
        { details: { token: "to-revoke" } },
        { orderBy: { id: "asc" } },
      );
    expect(events.map((e) => e.action)).toEqual([
      "TOKEN_CREATED",
      "TOKEN_REVOKED",
    ]);
    expect(events.every((e) => e.actor === operator.name)).toBe(true);
  });

  it("reads expiries as 90d, 12h, 2w, a date or never, and refuses anything else", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(parseExpiry("90d", now)?.toISOString()).toBe(
      "2026-04-01T00:00:00.000Z",
    );
    expect(parseExpiry("12h", now)?.toISOString()).toBe(
      "2026-01-01T12:00:00.000Z",
    );
    expect(parseExpiry("never", now)).toBeNull();
    expect(() => parseExpiry("soon", now)).toThrow(/--expires/);
  });
});

describe("authenticateRequest", () => {
  it("reads anonymous requests as a national viewer in development, and refuses them in production", async () => {
    const em = db.orm.em.fork();
    await expect(authenticateRequest(em, {}, false)).resolves.toMatchObject({
      role: "VIEWER",
      councilGssCodes: null,
    });
    await expect(authenticateRequest(em, {}, true)).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
    });
    await expect(
      authenticateRequest(em, { authorization: "Basic abc" }, false),
    ).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});

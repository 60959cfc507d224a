import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../errors/hub-error.js";
import { ERROR_ADVICE, explainError } from "../../web/src/api/explain-error.js";

describe("the page's error codes", () => {
  it("knows every code of the hub's enum, and no other", () => {
    expect(Object.keys(ERROR_ADVICE).sort()).toEqual(
      Object.values(ErrorCode).sort(),
    );
  });

  it("explains an unavailable database as one to try again, not as an internal error", () => {
    const sentence = explainError(
      503,
      ErrorCode.DatabaseUnavailable,
      "The hub cannot reach its database just now: try again in 10 s.",
    );
    expect(sentence).toBe(
      "The hub cannot reach its database just now: try again in 10 s. If it persists, tell the hub's operator.",
    );
    expect(explainError(500, "INTERNAL_SERVER_ERROR", "")).toMatch(
      /^The hub met an internal error\./,
    );
  });

  it("tells a refused token to sign in again, by its code or its status", () => {
    for (const [status, code] of [
      [401, ErrorCode.Unauthenticated],
      [401, ""],
    ] as const)
      expect(explainError(status, code, "The token expired.")).toMatch(
        /^The token expired\. Sign in again with a valid token/,
      );
  });
});

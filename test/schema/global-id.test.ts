import { describe, expect, it } from "vitest";
import { fromGlobalId, toGlobalId } from "../../schema/global-id.js";

// Type names of every length modulo 3 (the prefix's leftover bytes) and ids of every digit count.
const TYPES = [
  "X",
  "Council",
  "Service",
  "Membership",
  "Partnership",
  "SavingsFigure",
  "GovernanceBody",
  "GovernanceSeat",
];
const IDS = [1, 7, 10, 99, 100, 101, 999, 1000, 12345, 199999, 2_147_483_647];

describe("global ids", () => {
  it("are base64url of Type:id, unpadded, for every type name and id length", () => {
    for (const type of TYPES)
      for (let id = 1; id <= 2000; id++)
        expect(toGlobalId(type, id)).toBe(
          Buffer.from(`${type}:${id}`).toString("base64url"),
        );
    for (const type of TYPES)
      for (const id of IDS)
        expect(toGlobalId(type, id)).toBe(
          Buffer.from(`${type}:${id}`).toString("base64url"),
        );
    expect(toGlobalId("Council", 1)).toBe("Q291bmNpbDox");
  });

  it("stay right past the number of ids kept per type", () => {
    for (let round = 0; round < 2; round++)
      for (let id = 1; id <= 45_000; id += round + 1)
        expect(toGlobalId("Service", id)).toBe(
          Buffer.from(`Service:${id}`).toString("base64url"),
        );
  });

  it("read back as the type and database id they were given for", () => {
    for (const type of TYPES)
      for (const id of IDS)
        expect(fromGlobalId(toGlobalId(type, id), type)).toEqual({ type, id });
  });
});

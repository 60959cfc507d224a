import { BadInputError } from "../errors/hub-error.js";

/** A decoded global id: the GraphQL type name and the database id. */
export interface DecodedGlobalId {
  type: string;
  id: number;
}

const BASE64URL =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Per type name: the base64url of the whole 3-byte groups of "Type:", and the 0-2 bytes left over. */
const typePrefixes = new Map<string, { encoded: string; rest: string }>();

/**
 * The opaque global id of an object: base64url of "Type:id", e.g. "Q291bmNpbDox" for Council 1.
 * A deep list gives out thousands per request: the type's prefix is encoded once, and only the
 * rest of each id here, without a Buffer per id (which cost twice the time and the garbage).
 * Type names are ASCII (GraphQL names), and so are the digits.
 */
export function toGlobalId(type: string, id: number): string {
  let prefix = typePrefixes.get(type);
  if (!prefix) {
    const text = `${type}:`;
    const whole = text.length - (text.length % 3);
    prefix = {
      encoded: Buffer.from(text.slice(0, whole), "latin1").toString(
        "base64url",
      ),
      rest: text.slice(whole),
    };
    typePrefixes.set(type, prefix);
  }
  const text = `${prefix.rest}${id}`;
  let encoded = prefix.encoded;
  let i = 0;
  for (; i + 2 < text.length; i += 3) {
    const bits =
      (text.charCodeAt(i) << 16) |
      (text.charCodeAt(i + 1) << 8) |
      text.charCodeAt(i + 2);
    encoded +=
      BASE64URL[bits >> 18]! +
      BASE64URL[(bits >> 12) & 63]! +
      BASE64URL[(bits >> 6) & 63]! +
      BASE64URL[bits & 63]!;
  }
  // The last one or two bytes: two or three characters, unpadded (base64url).
  if (i < text.length) {
    const bits =
      (text.charCodeAt(i) << 16) |
      (i + 1 < text.length ? text.charCodeAt(i + 1) << 8 : 0);
    encoded += BASE64URL[bits >> 18]! + BASE64URL[(bits >> 12) & 63]!;
    if (i + 1 < text.length) encoded += BASE64URL[(bits >> 6) & 63]!;
  }
  return encoded;
}

/**
 * Reads a global id, refusing anything this API did not give out with BAD_USER_INPUT. With
 * `expected`, the id must also name that type (a Service's id is no Partnership's id).
 */
export function fromGlobalId(
  globalId: string,
  expected?: string,
): DecodedGlobalId {
  const decoded = /^[A-Za-z0-9_-]+$/.test(globalId)
    ? Buffer.from(globalId, "base64url").toString("utf8")
    : "";
  const match = /^([A-Z][A-Za-z]*):([1-9]\d{0,9})$/.exec(decoded);
  const id = match ? Number(match[2]) : NaN;
  if (!match || !Number.isSafeInteger(id) || id > 2_147_483_647) {
    throw new BadInputError(`"${globalId}" is not an id this API gave out.`, {
      id: globalId,
    });
  }
  const type = match[1]!;
  if (expected && type !== expected) {
    throw new BadInputError(
      `"${globalId}" is the id of a ${type}, not of a ${expected}.`,
      { id: globalId, type, expected },
    );
  }
  return { type, id };
}

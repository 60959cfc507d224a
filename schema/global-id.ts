import { BadInputError } from "../errors/hub-error.js";

/** A decoded global id: the GraphQL type name and the database id. */
export interface DecodedGlobalId {
  type: string;
  id: number;
}

/**
 * How many global ids of one type are kept once made. A deep list gives out the same two thousand
 * on every request (a hundred partnerships, their thousand services, the councils hosting them);
 * kept, they cost a lookup instead of a string built per id (a tenth of that request's garbage).
 * A type's ids are all let go when it reaches this many, so memory stays bounded (about 1.5 MB a
 * type at most) whatever clients page through.
 */
const KEPT_PER_TYPE = 20_000;

const keptIds = new Map<string, Map<number, string>>();

/** The opaque global id of an object: base64url of "Type:id", e.g. "Q291bmNpbDox" for Council 1. */
export function toGlobalId(type: string, id: number): string {
  let kept = keptIds.get(type);
  if (!kept) {
    kept = new Map();
    keptIds.set(type, kept);
  }
  let globalId = kept.get(id);
  if (globalId === undefined) {
    if (kept.size >= KEPT_PER_TYPE) kept.clear();
    globalId = Buffer.from(`${type}:${id}`, "latin1").toString("base64url");
    kept.set(id, globalId);
  }
  return globalId;
}

/**
 * SQL for the base64url (no padding) of `textSql`'s value, as Buffer's "base64url" writes it, for
 * text of ASCII letters, digits, `:` and `-` of at most 57 bytes (a type name and an id, `offset:`
 * and a position): PostgreSQL's base64 without its `=` padding. Base64 writes `+` or `/` (where
 * base64url has `-` and `_`) only for bytes those characters never make (>= 0x80, `>`, `?`, `~`,
 * DEL), and breaks its line only past 57 bytes, so nothing else differs; the text is cast to bytea
 * as it is (it has no backslash). Checked against the JS over thousands of values.
 */
export function base64urlSql(textSql: string): string {
  return `rtrim(encode((${textSql})::bytea, 'base64'), '=')`;
}

/**
 * SQL for toGlobalId(type, id), the id being the integer column or expression `idSql`: the same
 * text, made by PostgreSQL (for answers it builds whole, see server/sql-answers/).
 */
export function globalIdSql(type: string, idSql: string): string {
  // "Type:" and ten digits stay within base64urlSql's 57 bytes.
  if (!/^[A-Z][A-Za-z]{0,40}$/.test(type))
    throw new Error(`globalIdSql: "${type}" is not a type name`);
  return base64urlSql(`'${type}:' || ${idSql}`);
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

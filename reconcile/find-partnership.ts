import type { EntityManager } from "@mikro-orm/postgresql";
import { BadInputError, NotFoundError } from "../errors/hub-error.js";
import { fromGlobalId } from "../schema/global-id.js";
import { Partnership } from "../schema/partnership.js";
import { matchPartnershipName } from "../schema/partnership-name.js";

/**
 * The database id in a Relay global id of a partnership ("Partnership:<id>" in base64url), or null
 * when `text` does not look like a global id at all (it may then be a name). A global id of another
 * type is refused rather than read as a name.
 */
export function partnershipIdFromGlobalId(text: string): number | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const decoded = Buffer.from(text, "base64url").toString("utf8");
  if (!/^[A-Z][A-Za-z]*:\d+$/.test(decoded)) return null;
  return fromGlobalId(text, "Partnership").id;
}

/**
 * Finds a partnership by whatever a person or client has to hand: its Relay global id
 * ("UGFydG5lcnNoaXA6Nw" for "Partnership:7"), its database id ("7"), or its name or one of its
 * alternative names (`matchPartnershipName`: case, punctuation, "&" = "and"). The CLI, the API and the export all use this one lookup.
 */
export async function findPartnership(
  em: EntityManager,
  reference: string,
): Promise<Partnership> {
  const text = reference.trim();
  if (!text)
    throw new BadInputError("Name the partnership by its name or id.", {
      partnership: reference,
    });
  const numeric = /^\d{1,9}$/.test(text) ? Number(text) : null;
  const globalId = numeric === null ? partnershipIdFromGlobalId(text) : null;
  const id = numeric ?? globalId;
  if (id !== null) {
    const byId = await em.findOne(Partnership, { id });
    if (byId) return byId;
    if (globalId !== null) throw NotFoundError.entity("partnership", text);
  }
  // Partnerships are few (hundreds): their names are matched here, by the one matcher.
  const names = await em
    .getConnection()
    .execute<
      { id: number; name: string; alternative_names: string[] | null }[]
    >("select id, name, alternative_names from partnership order by id");
  const { match, candidates } = matchPartnershipName(
    names.map((row) => ({
      id: row.id,
      name: row.name,
      alternativeNames: row.alternative_names ?? [],
    })),
    text,
  );
  if (candidates.length === 0) {
    throw new NotFoundError(`No partnership has the name or id "${text}".`, {
      partnership: text,
    });
  }
  // Names are unique; alternative names need not be, and an ambiguous one is refused, not guessed.
  if (!match) {
    throw new BadInputError(
      `"${text}" names more than one partnership (${candidates.map((m) => m.name).join(", ")}): use its full name or id.`,
      { partnership: text },
    );
  }
  return em.findOneOrFail(Partnership, { id: match.id });
}

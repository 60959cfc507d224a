import type { EntityManager } from "@mikro-orm/postgresql";
import { ForbiddenError, NotFoundError } from "../../errors/hub-error.js";
import { findPartnership } from "../../reconcile/find-partnership.js";
import type { Partnership } from "../../schema/partnership.js";
import type { AccessScope } from "./access-scope.js";

/**
 * The partnership a reference names, if the caller may see its figures. A council-bound caller
 * gets FORBIDDEN both for partnerships outside its scope and for ones that do not exist, so the
 * answer never tells whether another partnership exists; a national caller gets NOT_FOUND.
 */
export async function findVisiblePartnership(
  em: EntityManager,
  reference: string,
  scope: AccessScope,
): Promise<Partnership> {
  const partnership = await findPartnership(em, reference).catch(
    (error: unknown) => {
      throw error instanceof NotFoundError && !scope.national
        ? new ForbiddenError()
        : error;
    },
  );
  scope.assertPartnership(partnership.id);
  return partnership;
}

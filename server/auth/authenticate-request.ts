import type { EntityManager } from "@mikro-orm/postgresql";
import type { IncomingHttpHeaders } from "node:http";
import { anonymousDevelopmentViewer, type Caller } from "../caller.js";
import {
  authenticateToken,
  isTokenCheckShared,
  startParallelCheck,
  UnauthenticatedError,
  type ParallelCheck,
} from "./token-service.js";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Whether a request's Authorization header may cost a scrypt hash to check (anything but a token
 * verified in this process already, or being verified now): those are taken from the client
 * address's failed-authentication allowance before the check.
 */
export function mayCostAHash(headers: IncomingHttpHeaders): boolean {
  const header = headers.authorization;
  if (header === undefined) return false;
  const match = BEARER.exec(header);
  return !match || !isTokenCheckShared(match[1]!);
}

/**
 * Works out who sent a request: `Authorization: Bearer <token>`, or, with no token, the anonymous
 * national viewer in development; in production a request without a token is refused.
 */
export async function authenticateRequest(
  em: EntityManager,
  headers: IncomingHttpHeaders,
  production: boolean,
): Promise<Caller> {
  const header = headers.authorization;
  if (!header) {
    if (production)
      throw new UnauthenticatedError(
        "Send an API token: Authorization: Bearer <token> (see `sshub token create`).",
      );
    return anonymousDevelopmentViewer;
  }
  const match = BEARER.exec(header);
  if (!match)
    throw new UnauthenticatedError(
      'The Authorization header must be "Bearer <token>".',
    );
  return authenticateToken(em, match[1]!);
}

/**
 * Starts the check of a request's bearer token when this process confirmed the same token recently,
 * returning the caller it was confirmed as with the check under way (see startParallelCheck); null
 * for anything else (no token, a malformed header, a token not confirmed here lately), which waits
 * for authenticateRequest.
 */
export function startParallelRequestCheck(
  em: EntityManager,
  headers: IncomingHttpHeaders,
): ParallelCheck | null {
  const match = BEARER.exec(headers.authorization ?? "");
  return match ? startParallelCheck(em, match[1]!) : null;
}

import type { EntityManager } from "@mikro-orm/postgresql";
import type { IncomingHttpHeaders } from "node:http";
import { anonymousDevelopmentViewer, type Caller } from "../caller.js";
import { authenticateToken, UnauthenticatedError } from "./token-service.js";

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
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match)
    throw new UnauthenticatedError(
      'The Authorization header must be "Bearer <token>".',
    );
  return authenticateToken(em, match[1]!);
}

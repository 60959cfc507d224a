import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Refusing a request without reading the rest of its body: the answer says `connection: close`, the
 * body is no longer read (nor piped anywhere), and Node closes the connection once the answer is out,
 * instead of reading a body of any size to the end to keep the connection alive.
 */
export function closeWhenAnswered(
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (req.complete) return;
  if (!res.headersSent) res.setHeader("connection", "close");
  req.unpipe();
  req.pause();
}

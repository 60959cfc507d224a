import { createRequire } from "node:module";
import type { Client, ClientConfig, Notification } from "pg";
import { checkedTokens, TOKEN_REVOKED_CHANNEL } from "./checked-token-cache.js";

const require = createRequire(import.meta.url);

/** How long the listener waits before connecting again after losing its connection. */
const RECONNECT_MS = 1_000;

/** A running revocation listener. */
export interface TokenRevocationListener {
  /** Stops listening and closes its connection. */
  stop(): Promise<void>;
}

/**
 * Listens on its own connection to `url` for the revocations `revokeToken` notifies (from any
 * process on the database: another hub instance, `sshub token revoke`) and drops the revoked
 * token's kept row at once. While the connection is down (reconnecting every second) the kept rows
 * still expire within TOKEN_ROW_FRESH_MS, so a lost notification delays a revocation by well under
 * a second, never more.
 */
export async function listenForTokenRevocations(
  url: string,
  log: (line: string) => void,
): Promise<TokenRevocationListener> {
  const { Client: PgClient } = require("pg") as {
    Client: new (config: ClientConfig) => Client;
  };
  let stopped = false;
  let client: Client | null = null;
  let retry: NodeJS.Timeout | undefined;
  const onNotification = (message: Notification) => {
    if (message.channel !== TOKEN_REVOKED_CHANNEL) return;
    const id = Number(message.payload);
    if (Number.isInteger(id)) checkedTokens.forget(id);
  };
  const connect = async (): Promise<void> => {
    const next = new PgClient({
      connectionString: url,
      connectionTimeoutMillis: 5_000,
    });
    const lost = (error?: Error) => {
      if (client !== next) return;
      client = null;
      // Notifications sent while nobody listened are gone: start from nothing kept.
      checkedTokens.forgetAll();
      if (stopped) return;
      if (error)
        log(`token revocation listener: ${error.message}; reconnecting`);
      retry = setTimeout(() => void connect(), RECONNECT_MS).unref();
    };
    next.on("error", lost);
    next.on("end", () => lost());
    next.on("notification", onNotification);
    client = next;
    try {
      await next.connect();
      await next.query(`listen ${TOKEN_REVOKED_CHANNEL}`);
    } catch (error) {
      lost(error as Error);
      await next.end().catch(() => undefined);
      return;
    }
    if (stopped) await next.end().catch(() => undefined);
  };
  await connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      const open = client;
      client = null;
      await open?.end().catch(() => undefined);
    },
  };
}

import { BlockList, isIP } from "node:net";
import { ConfigurationError } from "../errors/hub-error.js";

// The socket of a server listening on "::" gives IPv4 peers as IPv4-mapped IPv6 addresses.
function plain(address: string): string {
  const trimmed = address.trim();
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(trimmed)
    ? trimmed.slice(7)
    : trimmed;
}

function family(address: string): "ipv4" | "ipv6" | null {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : null;
}

/**
 * The proxies (load balancers) whose `X-Forwarded-For` the hub believes, from `TRUST_PROXY`: off by
 * default, so a client cannot choose the address its rate limits and log lines are kept under.
 */
export class TrustedProxies {
  private constructor(
    private readonly list: BlockList,
    /** What was configured, for messages. */
    readonly description: string,
  ) {}

  /** Nobody's X-Forwarded-For is believed: the client is the socket's peer. */
  static none(): TrustedProxies {
    return new TrustedProxies(new BlockList(), "none");
  }

  /**
   * Reads `TRUST_PROXY`: a comma-separated list of addresses and CIDR ranges (10.0.0.0/8,
   * 2001:db8::/32) and the word `loopback` (127.0.0.0/8 and ::1). Unset, empty or "off": none.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): TrustedProxies {
    const text = env.TRUST_PROXY?.trim() ?? "";
    if (!text || text === "off") return TrustedProxies.none();
    const list = new BlockList();
    for (const raw of text.split(",")) {
      const entry = raw.trim();
      if (entry === "loopback") {
        list.addSubnet("127.0.0.0", 8, "ipv4");
        list.addAddress("::1", "ipv6");
        continue;
      }
      const [address = "", bits, extra] = entry.split("/");
      const kind = family(address);
      const prefix = bits === undefined ? undefined : Number(bits);
      const maxBits = kind === "ipv4" ? 32 : 128;
      if (
        !kind ||
        extra !== undefined ||
        (prefix !== undefined && (!/^\d{1,3}$/.test(bits!) || prefix > maxBits))
      )
        throw new ConfigurationError(
          `TRUST_PROXY must list addresses or CIDR ranges (such as 10.0.0.0/8) separated by commas, or "loopback"; "${entry}" is neither.`,
          { TRUST_PROXY: text },
        );
      if (prefix === undefined) list.addAddress(address, kind);
      else list.addSubnet(address, prefix, kind);
    }
    return new TrustedProxies(list, text);
  }

  /** Whether `address` is one of the trusted proxies. */
  trusts(address: string): boolean {
    const kind = family(plain(address));
    return kind !== null && this.list.check(plain(address), kind);
  }

  /**
   * The client's address: the socket's peer, unless that peer is a trusted proxy, in which case
   * X-Forwarded-For is read from its right end (the hop the trusted proxy added) leftwards, past
   * every trusted proxy, to the first address that is not one. A malformed entry stops the walk at
   * the proxy that passed it on.
   */
  clientAddress(
    peer: string | undefined,
    forwardedFor: string | string[] | undefined,
  ): string {
    let client = plain(peer ?? "unknown");
    if (!this.trusts(client) || forwardedFor === undefined) return client;
    const hops = (
      Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor
    )
      .split(",")
      .map(plain)
      .reverse();
    for (const hop of hops) {
      if (!family(hop)) return client;
      client = hop;
      if (!this.trusts(hop)) return client;
    }
    return client;
  }
}

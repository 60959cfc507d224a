import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../server/auth/rate-limiter.js";
import { TrustedProxies } from "../../server/trusted-proxies.js";
import { startTestHttp } from "../support/http.js";
import { useTestDatabase } from "../support/test-database.js";

describe("TRUST_PROXY", () => {
  it("believes nobody's X-Forwarded-For by default", () => {
    const none = TrustedProxies.fromEnv({});
    expect(none.clientAddress("127.0.0.1", "203.0.113.9")).toBe("127.0.0.1");
    expect(
      TrustedProxies.fromEnv({ TRUST_PROXY: "off" }).clientAddress(
        "10.0.0.5",
        "203.0.113.9",
      ),
    ).toBe("10.0.0.5");
  });

  it("reads the client from the right end of X-Forwarded-For, past trusted proxies only", () => {
    const proxies = TrustedProxies.fromEnv({
      TRUST_PROXY: "10.0.0.0/8, 192.168.1.7, loopback",
    });
    // A client cannot put itself on the list: what it wrote is left of the address the proxy added.
    expect(
      proxies.clientAddress("10.0.0.5", "1.2.3.4, 203.0.113.9, 192.168.1.7"),
    ).toBe("203.0.113.9");
    expect(proxies.clientAddress("::ffff:127.0.0.1", "203.0.113.9")).toBe(
      "203.0.113.9",
    );
    expect(proxies.clientAddress("::1", ["198.51.100.1", "10.1.1.1"])).toBe(
      "198.51.100.1",
    );
    // From an untrusted peer the header is ignored.
    expect(proxies.clientAddress("198.51.100.20", "203.0.113.9")).toBe(
      "198.51.100.20",
    );
    // Garbage from a trusted proxy stops at that proxy.
    expect(proxies.clientAddress("10.0.0.5", "not-an-address")).toBe(
      "10.0.0.5",
    );
    expect(proxies.clientAddress("10.0.0.5", undefined)).toBe("10.0.0.5");
    expect(
      TrustedProxies.fromEnv({ TRUST_PROXY: "2001:db8::/32" }).clientAddress(
        "2001:db8::1",
        "2001:db9::7",
      ),
    ).toBe("2001:db9::7");
  });

  it("refuses a list it cannot read, naming the entry", () => {
    for (const bad of ["10.0.0.0/33", "proxy.internal", "10.0.0.1/8/2", "*"])
      expect(() => TrustedProxies.fromEnv({ TRUST_PROXY: bad })).toThrow(
        new RegExp(`TRUST_PROXY.*"${bad.replace(/[.*/]/g, "\\$&")}"`),
      );
  });
});

describe("the client address behind a trusted proxy", () => {
  const db = useTestDatabase();

  async function statuses(trusted: TrustedProxies): Promise<number[]> {
    const http = await startTestHttp(db.orm, {
      rateLimiter: RateLimiter.inDatabase(db.orm, 1),
      trustedProxies: trusted,
    });
    try {
      const result = [];
      for (const client of ["203.0.113.1", "203.0.113.2", "203.0.113.1"])
        result.push(
          (
            await fetch(`${http.base}/graphql`, {
              method: "POST",
              headers: {
                "content-type": "application/json",
                "x-forwarded-for": client,
              },
              body: JSON.stringify({ query: "{ councils { totalCount } }" }),
            })
          ).status,
        );
      return result;
    } finally {
      await http.close();
    }
  }

  it("keeps each forwarded client's allowance apart when the proxy is trusted, and one for all when not", async () => {
    expect(
      await statuses(TrustedProxies.fromEnv({ TRUST_PROXY: "127.0.0.1" })),
    ).toEqual([200, 200, 429]);
    await db.orm.em.getConnection().execute("delete from rate_limit_count");
    expect(await statuses(TrustedProxies.none())).toEqual([200, 429, 429]);
  });
});

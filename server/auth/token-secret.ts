import {
  randomBytes,
  scrypt,
  timingSafeEqual,
  type ScryptOptions,
} from "node:crypto";

// scrypt is memory-hard: N=2^15, r=8 needs 32 MiB per hash, so a stolen table is slow to attack.
const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_BYTES = 32;

function scryptAsync(
  secret: string,
  salt: Buffer,
  params: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_BYTES, params, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** A new token for token id `id`: `sshub_<id>_<43 random characters>`; the id lets us find its hash. */
export function newToken(id: number): { token: string; secret: string } {
  const secret = randomBytes(32).toString("base64url");
  return { token: `sshub_${id}_${secret}`, secret };
}

/** Splits a presented token into its id and secret; null when it is not shaped like one of ours. */
export function parseToken(
  token: string,
): { id: number; secret: string } | null {
  const match = /^sshub_(\d{1,9})_([A-Za-z0-9_-]{43})$/.exec(token.trim());
  return match ? { id: Number(match[1]), secret: match[2]! } : null;
}

/** Hashes a secret for storage: `scrypt$N$r$p$salt$hash`. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, PARAMS);
  return [
    "scrypt",
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString("base64url"),
    key.toString("base64url"),
  ].join("$");
}

/** Checks a secret against a stored hash in constant time. */
export async function verifySecret(
  secret: string,
  stored: string,
): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await scryptAsync(secret, Buffer.from(salt, "base64url"), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

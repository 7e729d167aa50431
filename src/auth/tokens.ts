import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from "jose";
import { unauthenticated } from "../errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Turns a bearer token into the caller's user id; nothing else about identity lives here. */
export interface Authenticator {
  userIdFromToken(token: string): Promise<string>;
}

export function createAuthenticator(options: { secret: string; jwksUrl?: string }): Authenticator {
  const key: Uint8Array | JWTVerifyGetKey = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl))
    : new TextEncoder().encode(options.secret);
  const algorithms = options.jwksUrl ? undefined : ["HS256"];
  const verified = new VerifiedTokens();
  return {
    async userIdFromToken(token) {
      const known = verified.get(token);
      if (known) return known;
      try {
        const { payload } = await jwtVerify(token, key as Uint8Array, { algorithms });
        if (typeof payload.sub !== "string" || !UUID.test(payload.sub)) throw new Error("sub is not a UUID");
        const userId = payload.sub.toLowerCase();
        verified.add(token, userId, payload.exp);
        return userId;
      } catch {
        throw unauthenticated("The bearer token is invalid or expired");
      }
    },
  };
}

/**
 * Tokens that verified recently, so a client paging through a library is not re-verified on
 * every request (a signature check is a fifth of a millisecond of a busy server's one thread).
 * An entry lasts until the token expires and at most a minute, so a rotated JWKS key is honoured
 * within a minute; only the whole token string finds an entry. Bounded: the oldest goes first.
 */
class VerifiedTokens {
  private static readonly MAX_ENTRIES = 1024;
  private static readonly MAX_AGE_MS = 60_000;
  private readonly entries = new Map<string, { userId: string; until: number }>();

  get(token: string): string | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.userId;
    this.entries.delete(token);
    return undefined;
  }

  add(token: string, userId: string, expiresAtSeconds: number | undefined): void {
    const until = Math.min(Date.now() + VerifiedTokens.MAX_AGE_MS, expiresAtSeconds === undefined ? Infinity : expiresAtSeconds * 1000);
    if (this.entries.size >= VerifiedTokens.MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { userId, until });
  }
}

export function signToken(secret: string, userId: string, ttlSeconds = 30 * 24 * 3600): Promise<string> {
  if (!UUID.test(userId)) throw new Error(`user id must be a UUID (got "${userId}")`);
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId.toLowerCase())
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

/** The user id from an `Authorization: Bearer …` header value. */
export async function authenticate(authenticator: Authenticator, header: string | undefined): Promise<string> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) throw unauthenticated();
  return authenticator.userIdFromToken(match[1]);
}

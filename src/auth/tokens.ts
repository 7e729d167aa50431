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
  return {
    async userIdFromToken(token) {
      try {
        const { payload } = await jwtVerify(token, key as Uint8Array, { algorithms });
        if (typeof payload.sub !== "string" || !UUID.test(payload.sub)) throw new Error("sub is not a UUID");
        return payload.sub.toLowerCase();
      } catch {
        throw unauthenticated("The bearer token is invalid or expired");
      }
    },
  };
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

import { createHmac, timingSafeEqual } from "node:crypto";
import { AppError, validationFailed } from "../errors";
import { DERIVATIVE_KINDS } from "./entities/asset-derivative.entity";
import { isUuid } from "./validation";

export const VARIANTS = ["original", ...DERIVATIVE_KINDS] as const;
export type Variant = (typeof VARIANTS)[number];

export interface SignedTarget {
  assetId: string;
  versionNumber: number;
  variant: Variant;
  userId: string;
  /** Unix seconds. */
  expires: number;
}

/**
 * HMAC-SHA256 signatures for URLs that work without a bearer token. The signed string is every
 * field, each prefixed with its length, so no two different targets can share one; signatures are
 * compared in constant time.
 */
export class UrlSigner {
  private readonly key: Buffer;

  constructor(secret: string, readonly maxLifetimeSeconds: number) {
    // A key of its own, derived from the service secret: a token key never signs URLs.
    this.key = createHmac("sha256", secret).update("asset-library/signed-urls/v1").digest();
  }

  sign(target: SignedTarget): string {
    return createHmac("sha256", this.key).update(canonical(target)).digest("base64url");
  }

  /** Lifetime in seconds, checked against the maximum. */
  lifetime(requested: number | undefined, fallback: number): number {
    const seconds = requested ?? fallback;
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > this.maxLifetimeSeconds) {
      throw validationFailed({ expires_in: `must be whole seconds from 1 to ${this.maxLifetimeSeconds}` });
    }
    return seconds;
  }

  /** Checks a presented URL's fields: the signature first (any change fails it), then the expiry. */
  verify(fields: { assetId: string; version: string; variant: string; user: string; expires: string; sig: string }, now = Date.now()): SignedTarget {
    const invalid = () => new AppError("INVALID_SIGNATURE", "The URL's signature does not match");
    if (!isUuid(fields.assetId) || !isUuid(fields.user) || !/^\d{1,9}$/.test(fields.version) || !/^\d{1,12}$/.test(fields.expires)) throw invalid();
    if (!(VARIANTS as readonly string[]).includes(fields.variant)) throw invalid();
    const target: SignedTarget = {
      assetId: fields.assetId,
      versionNumber: Number(fields.version),
      variant: fields.variant as Variant,
      userId: fields.user,
      expires: Number(fields.expires),
    };
    const expected = Buffer.from(this.sign(target));
    const presented = Buffer.from(fields.sig ?? "");
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) throw invalid();
    if (target.expires * 1000 <= now) throw new AppError("URL_EXPIRED", "The URL has expired", { expired_at: new Date(target.expires * 1000).toISOString() });
    return target;
  }
}

function canonical(t: SignedTarget): string {
  return [t.assetId, String(t.versionNumber), t.variant, String(t.expires), t.userId].map((field) => `${field.length}:${field}`).join("|");
}

export function signedPath(target: SignedTarget, sig: string): string {
  const query = new URLSearchParams({ expires: String(target.expires), user: target.userId, sig });
  return `/v1/files/${target.assetId}/${target.versionNumber}/${target.variant}?${query}`;
}

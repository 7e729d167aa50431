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
    return this.hmac(canonical(target));
  }

  /** Lifetime in seconds, checked against the maximum. */
  lifetime(requested: number | undefined, fallback: number): number {
    const seconds = requested ?? fallback;
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > this.maxLifetimeSeconds) {
      throw validationFailed({ expires_in: `must be whole seconds from 1 to ${this.maxLifetimeSeconds}` });
    }
    return seconds;
  }

  /** A render's signature: its normal form (see render-params.ts) stands where a file's variant does. */
  signRender(target: SignedRender): string {
    return this.hmac(canonical({ ...target, variant: `render?${target.render}` }));
  }

  /** Checks a presented URL's fields: the signature first (any change fails it), then the expiry. */
  verify(fields: PresentedFields & { variant: string }, now = Date.now()): SignedTarget {
    if (!(VARIANTS as readonly string[]).includes(fields.variant)) throw invalidSignature();
    const target = { ...this.presentedTarget(fields), variant: fields.variant as Variant };
    return this.check(target, this.sign(target), fields.sig, now);
  }

  /** Checks a presented render URL against the normal form of the parameters it carries. */
  verifyRender(fields: PresentedFields, render: string, now = Date.now()): SignedRender {
    const target = { ...this.presentedTarget(fields), render };
    return this.check(target, this.signRender(target), fields.sig, now);
  }

  private presentedTarget(fields: PresentedFields): Omit<SignedTarget, "variant"> {
    if (!isUuid(fields.assetId) || !isUuid(fields.user) || !/^\d{1,9}$/.test(fields.version) || !/^\d{1,12}$/.test(fields.expires)) throw invalidSignature();
    return { assetId: fields.assetId, versionNumber: Number(fields.version), userId: fields.user, expires: Number(fields.expires) };
  }

  private check<T extends { expires: number }>(target: T, signature: string, presentedSig: string | undefined, now: number): T {
    const expected = Buffer.from(signature);
    const presented = Buffer.from(presentedSig ?? "");
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) throw invalidSignature();
    if (target.expires * 1000 <= now) throw new AppError("URL_EXPIRED", "The URL has expired", { expired_at: new Date(target.expires * 1000).toISOString() });
    return target;
  }

  private hmac(text: string): string {
    return createHmac("sha256", this.key).update(text).digest("base64url");
  }
}

/** What a signed URL presents, as strings straight from its path and query. */
export interface PresentedFields {
  assetId: string;
  version: string;
  user: string;
  expires: string;
  sig: string;
}

/** A signed render: the target of a file URL, with the render's normal form instead of a variant. */
export interface SignedRender extends Omit<SignedTarget, "variant"> {
  render: string;
}

const invalidSignature = () => new AppError("INVALID_SIGNATURE", "The URL's signature does not match");

function canonical(t: Omit<SignedTarget, "variant"> & { variant: string }): string {
  return [t.assetId, String(t.versionNumber), t.variant, String(t.expires), t.userId].map((field) => `${field.length}:${field}`).join("|");
}

/** The path of a signed render: `/v1/renders/{asset_id}/{version}?{parameters}&expires&user&sig`. */
export function signedRenderPath(target: SignedRender, query: URLSearchParams, sig: string): string {
  const full = new URLSearchParams(query);
  for (const [key, value] of Object.entries({ expires: String(target.expires), user: target.userId, sig })) full.set(key, value);
  return `/v1/renders/${target.assetId}/${target.versionNumber}?${full}`;
}

/** The path of a signed file; its query's values (digits, a UUID, base64url) need no escaping. */
export function signedPath(target: SignedTarget, sig: string): string {
  return `/v1/files/${target.assetId}/${target.versionNumber}/${target.variant}?expires=${target.expires}&user=${target.userId}&sig=${sig}`;
}

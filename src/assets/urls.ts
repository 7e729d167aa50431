import type { DerivativeSummary } from "./asset-loaders";
import type { AssetType } from "./asset-types";
import type { Asset } from "./entities";
import type { DerivativeKind } from "./entities/asset-derivative.entity";
import { signedPath, signedRenderPath, type UrlSigner, type Variant } from "./signed-urls";

export interface AssetUrls {
  /** Authenticated, never expires: the internal reference to the current file. */
  permanent: string;
  /** Signed, short-lived: the original file, usable without a token. */
  download: string;
  /** Signed, long-lived, usable in `<img src>`; null until the derivative exists. */
  thumbnail: string | null;
  preview: string | null;
}

export interface UrlLifetimes {
  download: number;
  thumbnail: number;
}

/**
 * The URLs an asset carries in every response. Download, thumbnail and preview URLs are signed so
 * a page can use them directly, and their expiry is rounded up to a window (a seventh of their
 * lifetime: a day for the 7-day thumbnails): the same asset gives the same URL for that long, so
 * browsers and CDNs cache it, and every URL stays valid for at least its full lifetime.
 */
export class AssetUrlBuilder {
  constructor(
    private readonly publicUrl: string,
    private readonly signer: UrlSigner,
    private readonly lifetimes: UrlLifetimes,
  ) {}

  forAsset(asset: Pick<Asset, "id" | "userId" | "currentVersion">, derivatives: DerivativeSummary[], now = Date.now()): AssetUrls {
    const has = (kind: DerivativeKind) => derivatives.some((d) => d.kind === kind);
    const signed = (variant: Variant, lifetime: number) => this.signedUrl(asset, variant, roundedExpiry(now, lifetime));
    return {
      permanent: this.permanentUrl(asset.id),
      download: signed("original", this.lifetimes.download),
      thumbnail: has("thumbnail") ? signed("thumbnail", this.lifetimes.thumbnail) : null,
      preview: has("preview") ? signed("preview", this.lifetimes.thumbnail) : null,
    };
  }

  /** The authenticated route of the current file; it never expires. */
  permanentUrl(assetId: string): string {
    return `${this.publicUrl}/v1/assets/${assetId}/download`;
  }

  /** The authenticated route of one derivative of the current version. */
  derivativeUrl(assetId: string, kind: DerivativeKind): string {
    return `${this.publicUrl}/v1/assets/${assetId}/derivatives/${kind}`;
  }

  /** The authenticated routes of one version's file and preview. */
  versionUrls(assetId: string, versionNumber: number): { download: string; preview: string } {
    const base = `${this.publicUrl}/v1/assets/${assetId}/versions/${versionNumber}`;
    return { download: `${base}/download`, preview: `${base}/derivatives/preview` };
  }

  /**
   * Both previews of a version comparison, for a side-by-side view: only for the types whose
   * preview is the picture itself (an image, a logo); null for the rest.
   */
  comparisonPreviews(assetType: AssetType, assetId: string, from: number, to: number): { from: string; to: string } | null {
    if (!COMPARED_VISUALLY.has(assetType)) return null;
    return { from: this.versionUrls(assetId, from).preview, to: this.versionUrls(assetId, to).preview };
  }

  /**
   * A signed URL for one file of one version, valid until `expires` (Unix seconds). With rounded
   * expiries a listed asset gives the same URLs for a whole window, so they are kept (the last two
   * generations of SIGNED_KEPT): a page of 100 signs up to 300 of them, an HMAC each.
   */
  signedUrl(asset: Pick<Asset, "id" | "userId" | "currentVersion">, variant: Variant, expires: number, versionNumber = asset.currentVersion): string {
    const key = `${asset.id}/${versionNumber}/${variant}/${expires}/${asset.userId}`;
    let url = this.signed.get(key) ?? this.signedBefore.get(key);
    if (url === undefined) {
      const target = { assetId: asset.id, versionNumber, variant, userId: asset.userId, expires };
      url = `${this.publicUrl}${signedPath(target, this.signer.sign(target))}`;
    }
    if (!this.signed.has(key)) {
      if (this.signed.size >= SIGNED_KEPT) [this.signedBefore, this.signed] = [this.signed, new Map()];
      this.signed.set(key, url);
    }
    return url;
  }

  private signed = new Map<string, string>();
  private signedBefore = new Map<string, string>();

  /**
   * A signed URL of one render of the current version: `render` is its normal form (what is signed)
   * and the query that carries it. Its expiry is rounded like the thumbnails' (one URL per window,
   * so pages cache it) unless a lifetime is asked for.
   */
  signedRenderUrl(asset: Pick<Asset, "id" | "userId" | "currentVersion">, render: { canonical: string; query: URLSearchParams }, expiresIn?: number, now = Date.now()): { url: string; expiresAt: Date } {
    const expires = expiresIn === undefined ? roundedExpiry(now, this.lifetimes.thumbnail) : Math.floor(now / 1000) + this.signer.lifetime(expiresIn, this.lifetimes.thumbnail);
    const target = { assetId: asset.id, versionNumber: asset.currentVersion, userId: asset.userId, expires, render: render.canonical };
    return { url: `${this.publicUrl}${signedRenderPath(target, render.query, this.signer.signRender(target))}`, expiresAt: new Date(expires * 1000) };
  }
}

/** Signed URLs kept per generation: about 200 bytes each, so two generations hold under 20 MB. */
const SIGNED_KEPT = 50_000;

const COMPARED_VISUALLY: ReadonlySet<AssetType> = new Set(["image", "logo"]);

/** Now plus the lifetime, rounded up to the next multiple of a seventh of the lifetime (Unix seconds). */
export function roundedExpiry(now: number, lifetimeSeconds: number): number {
  const window = Math.max(60, Math.floor(lifetimeSeconds / 7));
  return Math.ceil((Math.floor(now / 1000) + lifetimeSeconds) / window) * window;
}

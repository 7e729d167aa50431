import type { DerivativeSummary } from "./asset-loaders";
import type { Asset } from "./entities";
import type { DerivativeKind } from "./entities/asset-derivative.entity";

export interface AssetUrls {
  /** Authenticated, never expires: the internal reference to the current file. */
  permanent: string;
  /** Where to download the original. */
  download: string;
  /** Null until the derivative exists (the asset is still processing, or processing failed). */
  thumbnail: string | null;
  preview: string | null;
}

export function derivativeUrl(publicUrl: string, assetId: string, kind: DerivativeKind): string {
  return `${publicUrl}/v1/assets/${assetId}/derivatives/${kind}`;
}

export function assetUrls(publicUrl: string, asset: Pick<Asset, "id">, derivatives: DerivativeSummary[]): AssetUrls {
  const base = `${publicUrl}/v1/assets/${asset.id}`;
  const has = (kind: DerivativeKind) => derivatives.some((d) => d.kind === kind);
  return {
    permanent: `${base}/download`,
    download: `${base}/download`,
    thumbnail: has("thumbnail") ? derivativeUrl(publicUrl, asset.id, "thumbnail") : null,
    preview: has("preview") ? derivativeUrl(publicUrl, asset.id, "preview") : null,
  };
}

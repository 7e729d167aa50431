import type { Asset } from "./entities";

export interface AssetUrls {
  /** Authenticated, never expires: the internal reference to the current file. */
  permanent: string;
  /** Where to download the original. */
  download: string;
  thumbnail: string | null;
  preview: string | null;
}

export function assetUrls(publicUrl: string, asset: Pick<Asset, "id">): AssetUrls {
  const base = `${publicUrl}/v1/assets/${asset.id}`;
  return {
    permanent: `${base}/download`,
    download: `${base}/download`,
    thumbnail: null,
    preview: null,
  };
}

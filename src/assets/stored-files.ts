import type { Asset, AssetDerivative } from "./entities";
import type { StoredRender } from "./render/render.repository";

/** A stored file as it is sent: its key, size, type, entity tag and download name. */
export interface StoredFile {
  key: string;
  size: number;
  mimeType: string;
  /** An entity tag for this exact content (the checksum for originals). */
  etag: string;
  filename: string;
  /** Shown in place (a render for `<img>` or a new tab) rather than offered as a download. */
  inline?: boolean;
}

/** How any stored original is served: an asset's current file or one of its versions. */
export function originalFile(source: { storagePath: string; fileSize: number; mimeType: string; checksum: string; originalFilename: string }): StoredFile {
  return { key: source.storagePath, size: source.fileSize, mimeType: source.mimeType, etag: source.checksum, filename: source.originalFilename };
}

/** How a derivative is served, whichever route names it: one ETag per version and kind. */
export function derivativeFile(asset: Pick<Asset, "checksum" | "name">, derivative: AssetDerivative): StoredFile {
  const extension = derivative.storagePath.split(".").pop();
  return {
    key: derivative.storagePath,
    size: derivative.fileSize,
    mimeType: derivative.mimeType,
    etag: `${derivative.id}-${derivative.fileSize}`,
    filename: `${asset.name}-v${derivative.versionNumber}-${derivative.kind}.${extension}`,
  };
}

/** How a render is sent: its entity tag is its cache key, which names its content exactly; shown in place. */
export function renderFile(asset: Pick<Asset, "name">, render: StoredRender): StoredFile {
  const extension = render.storagePath.split(".").pop();
  return {
    key: render.storagePath,
    size: render.fileSize,
    mimeType: render.mimeType,
    etag: `r-${render.renderKey}`,
    filename: `${asset.name}-v${render.versionNumber}-${render.width}x${render.height}.${extension}`,
    inline: true,
  };
}

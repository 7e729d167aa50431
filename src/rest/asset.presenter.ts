import type { AssetLoaders } from "../assets/asset-loaders";
import type { Asset } from "../assets/entities";
import type { SearchResult } from "../assets/search.service";
import type { AssetUrlBuilder } from "../assets/urls";
import type { NearHash } from "../assets/similar.repository";
import { bigintToHash } from "../assets/media/perceptual-hash";

/** An upload's near-duplicates as the `ready` event names them too: id and distance. */
export function presentNearDuplicates(near: NearHash[] | null) {
  return near && near.map((n) => ({ asset_id: n.assetId, distance: n.distance }));
}

/** The asset as REST returns it (API.md): snake_case, with folder, tags, counts and URLs. */
export async function presentAsset(asset: Asset, loaders: AssetLoaders, urls: AssetUrlBuilder) {
  const { folder, tags, versionsCount, referencesCount, derivatives } = await loaders.all(asset.id);
  return {
    asset_id: asset.id,
    name: asset.name,
    description: asset.description,
    asset_type: asset.assetType,
    mime_type: asset.mimeType,
    file_extension: asset.fileExtension,
    file_size: asset.fileSize,
    original_filename: asset.originalFilename,
    checksum: asset.checksum,
    status: asset.status,
    status_reason: asset.statusReason,
    metadata: asset.metadata,
    visual: asset.visual && asset.phash !== null ? { ...asset.visual, perceptual_hash: bigintToHash(asset.phash) } : null,
    focal_point: asset.focalPoint ?? null,
    folder: folder ? { folder_id: folder.id, name: folder.name } : null,
    tags: tags.map((t) => ({ tag_id: t.id, name: t.name, color: t.color })),
    current_version: asset.currentVersion,
    versions_count: versionsCount,
    references_count: referencesCount,
    urls: urls.forAsset(asset, derivatives),
    derivatives: derivatives.map((d) => ({
      kind: d.kind,
      mime_type: d.mimeType,
      file_size: d.fileSize,
      width: d.width,
      height: d.height,
      url: urls.derivativeUrl(asset.id, d.kind),
    })),
    created_at: asset.createdAt.toISOString(),
    updated_at: asset.updatedAt.toISOString(),
  };
}

export function presentAssets(assets: Asset[], loaders: AssetLoaders, urls: AssetUrlBuilder) {
  return Promise.all(assets.map((asset) => presentAsset(asset, loaders, urls)));
}

/** A search page as REST returns it: `{items, total, next_cursor, facets}`; the items' extras come with the page when it read them. */
export async function presentSearch(result: SearchResult, loaders: AssetLoaders, urls: AssetUrlBuilder) {
  if (result.extras) loaders.remember(result.extras);
  return {
    items: await presentAssets(result.items, loaders, urls),
    total: result.total,
    next_cursor: result.nextCursor,
    facets: {
      asset_type: result.facets.assetType,
      folder: result.facets.folder.map((f) => ({ folder_id: f.folderId, name: f.name, count: f.count })),
    },
  };
}

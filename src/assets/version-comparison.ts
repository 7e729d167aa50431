import type { Asset, AssetVersion } from "./entities";

export interface VersionComparison {
  from: AssetVersion;
  to: AssetVersion;
  assetType: Asset["assetType"];
  metadata: {
    added: Record<string, unknown>;
    removed: Record<string, unknown>;
    changed: Record<string, { from: unknown; to: unknown }>;
  };
  size: { from: number; to: number; changeBytes: number; changePercent: number };
}

/** What changed between two versions: metadata keys added, removed and changed, and the size. */
export function compareVersions(assetType: Asset["assetType"], from: AssetVersion, to: AssetVersion): VersionComparison {
  const added: Record<string, unknown> = {};
  const removed: Record<string, unknown> = {};
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, value] of Object.entries(to.metadata)) {
    if (!(key in from.metadata)) added[key] = value;
    else if (JSON.stringify(from.metadata[key]) !== JSON.stringify(value)) changed[key] = { from: from.metadata[key], to: value };
  }
  for (const [key, value] of Object.entries(from.metadata)) if (!(key in to.metadata)) removed[key] = value;
  const changeBytes = to.fileSize - from.fileSize;
  return {
    from,
    to,
    assetType,
    metadata: { added, removed, changed },
    size: { from: from.fileSize, to: to.fileSize, changeBytes, changePercent: Math.round((changeBytes / from.fileSize) * 10_000) / 100 },
  };
}

import path from "node:path";
import type { AssetType, MediaFormat } from "../asset-types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EXTENSION = /^[a-z0-9]{1,5}$/;
const VARIANT = /^[a-z0-9-]{1,32}$/;

export interface AssetFileKey {
  userId: string;
  assetType: AssetType;
  assetId: string;
  /** The asset's creation time: every version and derivative stays in the asset's month. */
  createdAt: Date;
  extension: MediaFormat | string;
  /** 1 for the original upload; later versions get their own file. */
  versionNumber?: number;
  /** A derivative of the version ("thumbnail", "preview", ...). */
  variant?: string;
  /**
   * A new version's file, stored before its number is settled (under the asset's row lock, inside
   * the transaction): named by the version row's own id instead, so no two uploads share a key.
   */
  versionId?: string;
}

/**
 * The one place storage keys are made: `assets/{user_id}/{asset_type}/{yyyy}/{mm}/{asset_id}.{ext}`,
 * with `.version-{version_id}` for the files of later versions, `.v{n}` for their derivatives
 * (and, in libraries from before, their files) and `.{variant}` for derivatives. Every part is checked
 * against a strict pattern, so nothing a client sends can steer a key (file names never appear).
 */
export function assetFileKey(key: AssetFileKey): string {
  if (!UUID.test(key.userId)) throw new Error("storage key: user id is not a UUID");
  if (!UUID.test(key.assetId)) throw new Error("storage key: asset id is not a UUID");
  if (!EXTENSION.test(key.extension)) throw new Error("storage key: bad extension");
  if (key.variant !== undefined && !VARIANT.test(key.variant)) throw new Error("storage key: bad variant");
  if (key.versionId !== undefined && (!UUID.test(key.versionId) || key.variant !== undefined || key.versionNumber !== undefined)) {
    throw new Error("storage key: a version id names an original file alone");
  }
  const version = key.versionNumber ?? 1;
  if (!Number.isInteger(version) || version < 1) throw new Error("storage key: bad version number");

  const yyyy = String(key.createdAt.getUTCFullYear()).padStart(4, "0");
  const mm = String(key.createdAt.getUTCMonth() + 1).padStart(2, "0");
  const stem = [key.assetId, key.versionId ? `version-${key.versionId}` : undefined, version > 1 ? `v${version}` : undefined, key.variant].filter(Boolean).join(".");
  return `assets/${key.userId}/${key.assetType}/${yyyy}/${mm}/${stem}.${key.extension}`;
}

/** Resolves a storage key under a root directory, refusing anything that would leave it. */
export function resolveUnder(root: string, key: string): string {
  if (key.includes("\0")) throw new Error("storage key contains NUL");
  const absoluteRoot = path.resolve(root);
  const resolved = path.resolve(absoluteRoot, key);
  if (resolved === absoluteRoot || !resolved.startsWith(absoluteRoot + path.sep)) {
    throw new Error("storage key escapes the storage root");
  }
  return resolved;
}

import type { EntityManager } from "typeorm";
import { notFound } from "../errors";
import { Asset } from "./entities";
import { adjustFolderAssetCountsOf } from "./folder.repository";
import { adjustTagUsageOfAssets } from "./tag.repository";
import { isUuid } from "./validation";

/**
 * The SQL of asset ownership: every service finds, checks and locks the caller's assets through
 * these, each taking the entity manager of the caller's transaction and the user id. Another
 * user's id, a malformed id and a missing one all answer the same NOT_FOUND.
 */

/** One of the caller's assets, optionally locked for update. */
export async function findOwnedAsset(m: EntityManager, userId: string, assetId: string, lock = false): Promise<Asset> {
  if (!isUuid(assetId)) throw notFound("Asset");
  const asset = await m.findOne(Asset, { where: { id: assetId.toLowerCase(), userId }, lock: lock ? { mode: "pessimistic_write" } : undefined });
  if (!asset) throw notFound("Asset");
  return asset;
}

/** NOT_FOUND unless the asset (live or deleted) is the caller's. */
export async function requireOwnedAsset(m: EntityManager, userId: string, assetId: string): Promise<void> {
  if (!isUuid(assetId)) throw notFound("Asset");
  const [asset] = await m.query(`SELECT 1 FROM assets WHERE asset_id = $1 AND user_id = $2`, [assetId.toLowerCase(), userId]);
  if (!asset) throw notFound("Asset");
}

/**
 * Locks the caller's live assets among `assetIds` (lower-case UUIDs) in id order, so two callers
 * locking overlapping sets cannot deadlock: "update" to change them, "share" to keep them from
 * being deleted while something points at them. Every id must be a live asset of the caller's,
 * or nothing is locked for long: NOT_FOUND ends the transaction.
 */
export async function lockOwnedAssets(m: EntityManager, userId: string, assetIds: string[], mode: "update" | "share"): Promise<void> {
  const rows: Array<{ asset_id: string }> = await m.query(
    `SELECT asset_id FROM assets WHERE user_id = $1 AND asset_id = ANY($2) AND status <> 'deleted'
      ORDER BY asset_id FOR ${mode === "update" ? "UPDATE" : "SHARE"}`,
    [userId, assetIds],
  );
  if (rows.length !== assetIds.length) throw notFound("Asset");
}

/** Locks for update the caller's live assets in the given folders and returns their ids. */
export async function lockLiveAssetsInFolders(m: EntityManager, userId: string, folderIds: string[]): Promise<string[]> {
  const rows: Array<{ asset_id: string }> = await m.query(
    `SELECT asset_id FROM assets WHERE user_id = $1 AND folder_id = ANY($2) AND status <> 'deleted' ORDER BY asset_id FOR UPDATE`,
    [userId, folderIds],
  );
  return rows.map((r) => r.asset_id);
}

/**
 * Soft-deletes live assets (locked by the caller): they leave their folders' and tags' kept
 * counts (which count live assets only) and keep their rows and files until purge. Returns the
 * time they were deleted at.
 */
export async function softDeleteAssets(m: EntityManager, assetIds: string[]): Promise<Date> {
  const deletedAt = new Date();
  if (assetIds.length === 0) return deletedAt;
  await adjustFolderAssetCountsOf(m, assetIds, -1);
  await adjustTagUsageOfAssets(m, assetIds, -1);
  await m.query(`UPDATE assets SET status = 'deleted', deleted_at = $2, updated_at = $2 WHERE asset_id = ANY($1)`, [assetIds, deletedAt]);
  return deletedAt;
}

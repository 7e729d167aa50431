import type { EntityManager } from "typeorm";
import { notFound } from "../errors";
import { Asset } from "./entities";
import { isUuid } from "./validation";

/**
 * One of the caller's assets, optionally locked for update. Another user's id, a malformed id and
 * a missing one all answer the same NOT_FOUND.
 */
export async function findOwnedAsset(m: EntityManager, userId: string, assetId: string, lock = false): Promise<Asset> {
  if (!isUuid(assetId)) throw notFound("Asset");
  const asset = await m.findOne(Asset, { where: { id: assetId.toLowerCase(), userId }, lock: lock ? { mode: "pessimistic_write" } : undefined });
  if (!asset) throw notFound("Asset");
  return asset;
}

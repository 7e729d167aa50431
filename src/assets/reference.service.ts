import type { DataSource } from "typeorm";
import { notFound, validationFailed } from "../errors";
import { AssetReference, RESOURCE_TYPES, type ResourceType } from "./entities/asset-reference.entity";
import { lockOwnedAssets, requireOwnedAsset } from "./asset.repository";
import { isUuid } from "./validation";

/** Which uses each kind of resource may make of an asset (the spec's table). */
export const USAGE_TYPES: Record<ResourceType, readonly string[]> = {
  project: ["thumbnail", "background", "overlay", "audio", "intro", "outro"],
  template: ["default_thumbnail", "default_audio", "logo"],
  batch: ["shared_asset"],
};

const MAX_REFERENCES = 500;

export interface ReferenceInput {
  assetId: string;
  usageType: string;
}

/**
 * Where assets are used. A resource's save replaces its whole set in one transaction; its delete
 * removes it. Referenced assets are locked FOR SHARE while the set is written, and deleteAsset locks
 * FOR UPDATE, so a reference can never be left pointing at a deleted asset.
 */
export class ReferenceService {
  constructor(private readonly db: DataSource) {}

  async replace(userId: string, resourceType: string, resourceId: string, references: ReferenceInput[]): Promise<AssetReference[]> {
    const type = checkResource(resourceType, resourceId);
    if (!Array.isArray(references)) throw validationFailed({ references: "must be a list" });
    if (references.length > MAX_REFERENCES) throw validationFailed({ references: `at most ${MAX_REFERENCES}` });
    const wanted = new Map<string, ReferenceInput>();
    for (const [i, ref] of references.entries()) {
      if (!ref || typeof ref.usageType !== "string" || !USAGE_TYPES[type].includes(ref.usageType)) {
        throw validationFailed({ [`references[${i}].usage_type`]: `a ${type} may use: ${USAGE_TYPES[type].join(", ")}` });
      }
      // A malformed id cannot be one of the caller's assets: the save fails like for any unknown id.
      if (!isUuid(ref.assetId)) throw notFound("Asset");
      wanted.set(`${ref.assetId.toLowerCase()}:${ref.usageType}`, { assetId: ref.assetId.toLowerCase(), usageType: ref.usageType });
    }
    const assetIds = [...new Set([...wanted.values()].map((r) => r.assetId))];
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, [userId, `${type}:${resourceId}`]);
      await lockOwnedAssets(m, userId, assetIds, "share");
      await m.delete(AssetReference, { userId, resourceType: type, resourceId });
      if (wanted.size > 0) {
        await m.insert(AssetReference, [...wanted.values()].map((r) => ({ userId, resourceType: type, resourceId, assetId: r.assetId, usageType: r.usageType })));
      }
      return m.find(AssetReference, { where: { userId, resourceType: type, resourceId }, order: { usageType: "ASC" } });
    });
  }

  /** A resource was deleted: its references go. Returns how many there were. */
  async remove(userId: string, resourceType: string, resourceId: string): Promise<number> {
    const type = checkResource(resourceType, resourceId);
    const result = await this.db.getRepository(AssetReference).delete({ userId, resourceType: type, resourceId });
    return result.affected ?? 0;
  }

  async forAsset(userId: string, assetId: string): Promise<AssetReference[]> {
    await requireOwnedAsset(this.db.manager, userId, assetId);
    return this.db.getRepository(AssetReference).find({ where: { userId, assetId: assetId.toLowerCase() }, order: { createdAt: "DESC" } });
  }
}

function checkResource(resourceType: string, resourceId: string): ResourceType {
  if (!(RESOURCE_TYPES as readonly string[]).includes(resourceType)) {
    throw validationFailed({ resource_type: `must be one of ${RESOURCE_TYPES.join(", ")}` });
  }
  if (!isUuid(resourceId)) throw validationFailed({ resource_id: "must be a UUID" });
  return resourceType as ResourceType;
}

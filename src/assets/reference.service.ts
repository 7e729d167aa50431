import type { DataSource, EntityManager } from "typeorm";
import { notFound, validationFailed } from "../errors";
import { AssetReference, RESOURCE_TYPES, type ResourceType } from "./entities/asset-reference.entity";
import { lockOwnedAssets, requireOwnedAsset } from "./asset.repository";
import { isUuid } from "./validation";
import { recordActivity } from "./activity/activity.repository";
import type { ChangeContext } from "./activity/asset-event";

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

  async replace(userId: string, resourceType: string, resourceId: string, references: ReferenceInput[], ctx: ChangeContext = {}): Promise<AssetReference[]> {
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
      const old = await removeResourceReferences(m, userId, type, resourceId);
      if (wanted.size > 0) {
        await m.insert(AssetReference, [...wanted.values()].map((r) => ({ userId, resourceType: type, resourceId, assetId: r.assetId, usageType: r.usageType })));
      }
      await recordReferenceChanges(m, userId, type, resourceId, old, [...wanted.values()], ctx);
      return m.find(AssetReference, { where: { userId, resourceType: type, resourceId }, order: { usageType: "ASC" } });
    });
  }

  /** A resource was deleted: its references go. Returns how many there were. */
  async remove(userId: string, resourceType: string, resourceId: string, ctx: ChangeContext = {}): Promise<number> {
    const type = checkResource(resourceType, resourceId);
    return this.db.transaction(async (m) => {
      const old = await removeResourceReferences(m, userId, type, resourceId);
      await recordReferenceChanges(m, userId, type, resourceId, old, [], ctx);
      return old.length;
    });
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

/** Deletes a resource's references, returning what they were. */
async function removeResourceReferences(m: EntityManager, userId: string, type: ResourceType, resourceId: string): Promise<ReferenceInput[]> {
  const rows: Array<{ asset_id: string; usage_type: string }> = await m.query(
    `WITH removed AS (
       DELETE FROM asset_references WHERE user_id = $1 AND resource_type = $2 AND resource_id = $3 RETURNING asset_id, usage_type)
     SELECT asset_id, usage_type FROM removed`,
    [userId, type, resourceId],
  );
  return rows.map((r) => ({ assetId: r.asset_id, usageType: r.usage_type }));
}

/** One `references_changed` entry per asset whose uses by this resource changed: its usage types before and after. */
async function recordReferenceChanges(m: EntityManager, userId: string, type: ResourceType, resourceId: string, before: ReferenceInput[], after: ReferenceInput[], ctx: ChangeContext): Promise<void> {
  const usages = (list: ReferenceInput[], assetId: string) => list.filter((r) => r.assetId === assetId).map((r) => r.usageType).sort();
  const assetIds = [...new Set([...before, ...after].map((r) => r.assetId))].sort();
  const entries = assetIds.flatMap((assetId) => {
    const was = usages(before, assetId);
    const now = usages(after, assetId);
    if (was.join() === now.join()) return [];
    const resource = { resource_type: type, resource_id: resourceId };
    return [{ userId, assetId, type: "references_changed" as const, requestId: ctx.requestId, before: { ...resource, usage_types: was }, after: { ...resource, usage_types: now } }];
  });
  await recordActivity(m, entries);
}

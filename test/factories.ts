import { randomUUID } from "node:crypto";
import { adjustFolderAssetCount } from "../src/assets/folder.repository";
import { testService } from "./setup";
import type { TestUser } from "./helpers";

/**
 * Test data built through the service's own rules, so no test re-implements a kept count:
 * folders, tags and references through their services; assets without files (for tests of
 * queries rather than files) as rows whose folder and tag counts move through the same
 * repository functions and services an upload uses, and whose deletion is the real soft delete.
 */
const services = () => testService().runtime.services;

/** One of the user's folders, through the folder service. */
export async function makeFolder(user: TestUser | string, name: string, parentId: string | null = null): Promise<string> {
  return (await services().folders.create(userIdOf(user), { name, parentId })).id;
}

/** A use of the asset by a fresh project resource, through the reference service. */
export async function addReference(user: TestUser | string, assetId: string, usageType = "thumbnail"): Promise<void> {
  await services().references.replace(userIdOf(user), "project", randomUUID(), [{ assetId, usageType }]);
}

export interface SeedAsset {
  id?: string;
  name: string;
  assetType?: "image" | "audio" | "video" | "font" | "logo";
  fileSize?: number;
  createdAt?: Date;
  folderId?: string | null;
  status?: "ready" | "processing" | "failed" | "deleted";
  tags?: string[];
}

/** Assets with chosen names, types, sizes, dates, folders, tags and states, and no files. */
export async function seedAssets(userId: string, specs: SeedAsset[]): Promise<string[]> {
  const { db, tags, assets } = services();
  const ids: string[] = [];
  for (const spec of specs) {
    const id = spec.id ?? randomUUID();
    const status = spec.status ?? "ready";
    await db.transaction(async (m) => {
      await m.query(
        `INSERT INTO assets (asset_id, user_id, folder_id, name, asset_type, mime_type, file_extension, file_size, storage_path,
                             original_filename, checksum, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'application/octet-stream', 'bin', $6, 'seed/' || $1::uuid::text, $4, repeat('0', 64),
                 $7::asset_status, $8, $8)`,
        [id, userId, spec.folderId ?? null, spec.name, spec.assetType ?? "image", spec.fileSize ?? 1000, status === "deleted" ? "ready" : status, spec.createdAt ?? new Date()],
      );
      await m.query(
        `INSERT INTO asset_versions (asset_id, version_number, storage_path, file_size, checksum, mime_type, file_extension, original_filename, created_by)
         VALUES ($1, 1, 'seed/' || $1::uuid::text, $2, repeat('0', 64), 'application/octet-stream', 'bin', $3, $4)`,
        [id, spec.fileSize ?? 1000, spec.name, userId],
      );
      if (spec.folderId) await adjustFolderAssetCount(m, spec.folderId, +1);
      await tags.applyTags(m, userId, [id], spec.tags ?? []);
    });
    if (status === "deleted") await assets.delete(userId, id, true);
    ids.push(id);
  }
  return ids;
}

function userIdOf(user: TestUser | string): string {
  return typeof user === "string" ? user : user.userId;
}

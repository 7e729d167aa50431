import { randomUUID } from "node:crypto";
import { testService } from "./setup";

/**
 * Rows for tests that exercise queries rather than files (search, counts, batching): assets with
 * chosen names, types, sizes, dates, folders and tags, inserted straight into the real database.
 */
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

export async function seedAssets(userId: string, specs: SeedAsset[]): Promise<string[]> {
  const db = testService().runtime.services.db;
  const ids: string[] = [];
  for (const spec of specs) {
    const id = spec.id ?? randomUUID();
    const type = spec.assetType ?? "image";
    const status = spec.status ?? "ready";
    await db.query(
      `INSERT INTO assets (asset_id, user_id, folder_id, name, asset_type, mime_type, file_extension, file_size, storage_path,
                           original_filename, checksum, status, deleted_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'application/octet-stream', 'bin', $6, 'seed/' || $1::uuid::text, $4, repeat('0', 64), $7::asset_status,
               CASE WHEN $7::asset_status = 'deleted' THEN now() END, $8, $8)`,
      [id, userId, spec.folderId ?? null, spec.name, type, spec.fileSize ?? 1000, status, spec.createdAt ?? new Date()],
    );
    await db.query(
      `INSERT INTO asset_versions (asset_id, version_number, storage_path, file_size, checksum, mime_type, file_extension, original_filename, created_by)
       VALUES ($1, 1, 'seed/' || $1::uuid::text, $2, repeat('0', 64), 'application/octet-stream', 'bin', $3, $4)`,
      [id, spec.fileSize ?? 1000, spec.name, userId],
    );
    if (spec.folderId && status !== "deleted") await db.query(`UPDATE folders SET asset_count = asset_count + 1 WHERE folder_id = $1`, [spec.folderId]);
    for (const tag of spec.tags ?? []) {
      await db.query(`INSERT INTO tags (user_id, name) VALUES ($1, $2) ON CONFLICT (user_id, lower(name)) DO NOTHING`, [userId, tag]);
      await db.query(
        `INSERT INTO asset_tags (asset_id, tag_id) SELECT $1, tag_id FROM tags WHERE user_id = $2 AND lower(name) = lower($3)`,
        [id, userId, tag],
      );
      if (status !== "deleted") await db.query(`UPDATE tags SET usage_count = usage_count + 1 WHERE user_id = $1 AND lower(name) = lower($2)`, [userId, tag]);
    }
    ids.push(id);
  }
  return ids;
}

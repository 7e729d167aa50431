import type { EntityManager } from "typeorm";

/** One stored render: the cache entry of one source and one normal form. */
export interface StoredRender {
  renderKey: string;
  versionNumber: number;
  storagePath: string;
  mimeType: string;
  fileSize: number;
  width: number;
  height: number;
}

/** The SQL of the render cache (`asset_renders`). */
export async function findRender(m: Pick<EntityManager, "query">, assetId: string, renderKey: string): Promise<StoredRender | undefined> {
  const [row] = await m.query(
    `SELECT render_key, version_number, storage_path, mime_type, file_size, width, height FROM asset_renders WHERE asset_id = $1 AND render_key = $2`,
    [assetId, renderKey],
  );
  return row && { renderKey: row.render_key, versionNumber: row.version_number, storagePath: row.storage_path, mimeType: row.mime_type, fileSize: Number(row.file_size), width: row.width, height: row.height };
}

/**
 * Records a render whose file is stored; false when the asset is gone (purged while it rendered),
 * which leaves the caller a file to remove. A second process that rendered the same entry meanwhile
 * wrote the same key: its row stands.
 */
export async function insertRender(m: Pick<EntityManager, "query">, assetId: string, render: StoredRender): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `INSERT INTO asset_renders (asset_id, render_key, version_number, storage_path, mime_type, file_size, width, height)
     SELECT asset_id, $2, $3, $4, $5, $6, $7, $8 FROM assets WHERE asset_id = $1
     ON CONFLICT (asset_id, render_key) DO UPDATE SET created_at = asset_renders.created_at
     RETURNING 1`,
    [assetId, render.renderKey, render.versionNumber, render.storagePath, render.mimeType, render.fileSize, render.width, render.height],
  ).catch((error: { code?: string }) => {
    // The asset's row went between the SELECT and the key check (a purge committing meanwhile).
    if (error.code === "23503") return [];
    throw error;
  });
  return rows.length > 0;
}

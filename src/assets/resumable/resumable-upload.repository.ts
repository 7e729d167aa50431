import type { EntityManager } from "typeorm";

export const RESUMABLE_UPLOAD_STATUSES = ["receiving", "processing", "completed", "failed"] as const;
export type ResumableUploadStatus = (typeof RESUMABLE_UPLOAD_STATUSES)[number];

/** What a new asset's upload carries besides its bytes (the multipart upload's text fields). */
export interface ResumableUploadFields {
  name?: string;
  description?: string;
  assetType?: string;
  folderId?: string;
  tags?: string[];
  onDuplicate?: string;
  /** Hash the picture when the upload completes (see AssetService's findSimilar). */
  findSimilar?: boolean;
  changeDescription?: string;
}

export interface ResumableUpload {
  id: string;
  userId: string;
  /** Set for a new version of this asset; null for a new asset. */
  targetAssetId: string | null;
  length: number;
  filename: string;
  fields: ResumableUploadFields;
  status: ResumableUploadStatus;
  /** The asset it became (or, with on_duplicate=link, the one that already held its bytes). */
  assetId: string | null;
  versionNumber: number | null;
  /** True when on_duplicate=link answered with an asset that already held these bytes. */
  linked: boolean;
  error: { code: string; message: string; details: Record<string, unknown> } | null;
  createdAt: Date;
  expiresAt: Date;
  finishedAt: Date | null;
}

const COLUMNS = `upload_id AS id, user_id AS "userId", target_asset_id AS "targetAssetId", upload_length::float8 AS length,
  filename, fields, status, asset_id AS "assetId", version_number AS "versionNumber", linked, error,
  created_at AS "createdAt", expires_at AS "expiresAt", finished_at AS "finishedAt"`;

/** The SQL of `resumable_uploads`; every read is scoped to the owner. */
export const resumableUploadRepository = {
  async insert(m: EntityManager, upload: Pick<ResumableUpload, "id" | "userId" | "targetAssetId" | "length" | "filename" | "fields" | "expiresAt">): Promise<void> {
    await m.query(
      `INSERT INTO resumable_uploads (upload_id, user_id, target_asset_id, upload_length, filename, fields, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [upload.id, upload.userId, upload.targetAssetId, upload.length, upload.filename, JSON.stringify(upload.fields), upload.expiresAt],
    );
  },

  async findOwned(m: EntityManager, userId: string, id: string): Promise<ResumableUpload | undefined> {
    const rows = await m.query(`SELECT ${COLUMNS} FROM resumable_uploads WHERE upload_id = $1 AND user_id = $2`, [id, userId]);
    return rows[0];
  },

  /** Moves a receiving upload to processing; undefined when another request already did. */
  async claimForProcessing(m: EntityManager, userId: string, id: string): Promise<ResumableUpload | undefined> {
    const [rows] = await m.query(
      `UPDATE resumable_uploads SET status = 'processing' WHERE upload_id = $1 AND user_id = $2 AND status = 'receiving' RETURNING ${COLUMNS}`,
      [id, userId],
    );
    return rows[0];
  },

  async finish(
    m: EntityManager,
    id: string,
    outcome: { status: "completed" | "failed"; assetId?: string; versionNumber?: number; linked?: boolean; error?: ResumableUpload["error"]; keepUntil: Date },
  ): Promise<void> {
    await m.query(
      `UPDATE resumable_uploads SET status = $2, asset_id = $3, version_number = $4, linked = $5, error = $6, finished_at = now(), expires_at = $7 WHERE upload_id = $1`,
      [id, outcome.status, outcome.assetId ?? null, outcome.versionNumber ?? null, outcome.linked ?? false, outcome.error ? JSON.stringify(outcome.error) : null, outcome.keepUntil],
    );
  },

  async deleteOwned(m: EntityManager, userId: string, id: string): Promise<void> {
    await m.query(`DELETE FROM resumable_uploads WHERE upload_id = $1 AND user_id = $2`, [id, userId]);
  },

  async expired(m: EntityManager, now: Date, limit: number): Promise<Array<Pick<ResumableUpload, "id" | "status">>> {
    return m.query(`SELECT upload_id AS id, status FROM resumable_uploads WHERE expires_at < $1 ORDER BY expires_at LIMIT $2`, [now, limit]);
  },

  async deleteExpired(m: EntityManager, id: string, now: Date): Promise<void> {
    await m.query(`DELETE FROM resumable_uploads WHERE upload_id = $1 AND expires_at < $2`, [id, now]);
  },
};

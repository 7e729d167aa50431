import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { Logger } from "pino";
import type { DataSource, EntityManager } from "typeorm";
import { AppError, notFound } from "../errors";
import { Asset, AssetDerivative, AssetVersion } from "./entities";
import type { JobQueue } from "./jobs/queue";
import { assetFileKey } from "./storage/paths";
import type { StorageDriver } from "./storage/storage-driver";
import { findOwnedAsset } from "./asset.repository";
import { loggedUpload } from "./upload/upload-log";
import { planUpload } from "./upload/plan";
import { storedPictureHash } from "./upload/asset-row";
import type { InspectedUpload, UploadPipeline } from "./upload/upload-pipeline";
import { runStagedUpload } from "./upload/staged-upload";
import { cleanDescription } from "./validation";
import { compareVersions, type VersionComparison } from "./version-comparison";
import { recordActivity } from "./activity/activity.repository";
import type { ChangeContext } from "./activity/asset-event";

export type { VersionComparison } from "./version-comparison";

/** Versions kept per asset; the upload that makes an 11th prunes the oldest that is not current. */
export const MAX_VERSIONS = 10;

export interface VersionUpload {
  filename: string | undefined;
  stream: Readable;
  changeDescription?: string | null;
  requestComplete?: Promise<void>;
  /** The HTTP request's id, for the upload's log line. */
  requestId?: string;
  /** As for a new asset (`UploadInput.storedAt`): the bytes already in the store, copied within it. */
  storedAt?: string;
}

/**
 * An asset's history. A new version goes through the same upload pipeline, must be of the asset's
 * type, and becomes current; the asset row always mirrors its current version. Version numbers are
 * taken under the asset's row lock (and a unique constraint), so concurrent uploads number 1, 2, 3…
 */
export class VersionService {
  constructor(
    private readonly db: DataSource,
    private readonly storage: StorageDriver,
    private readonly pipeline: UploadPipeline,
    private readonly queue: JobQueue,
    private readonly log: Logger,
  ) {}

  upload(userId: string, assetId: string, input: VersionUpload): Promise<{ asset: Asset; version: AssetVersion }> {
    return loggedUpload(this.log, { userId, kind: "version", filename: input.filename, assetType: null, requestId: input.requestId }, () => this.storeUpload(userId, assetId, input));
  }

  /** The checks a new version gets before its first byte is read: the asset is the caller's, and the file fits its type. */
  async checkUpload(userId: string, assetId: string, input: Pick<VersionUpload, "filename" | "changeDescription">) {
    const existing = await this.findAsset(this.db.manager, userId, assetId);
    return { existing, plan: planUpload(input.filename, existing.assetType), changeDescription: cleanDescription(input.changeDescription) };
  }

  private async storeUpload(userId: string, assetId: string, input: VersionUpload): Promise<{ asset: Asset; version: AssetVersion }> {
    const { existing, plan, changeDescription } = await this.checkUpload(userId, assetId, input);
    // The file is named by the new version's id, not its number (settled only under the asset's
    // row lock below), so it is stored before the transaction opens, as a new asset's is: no
    // transaction waits on the store. On S3 it is written while the bytes arrive, or copied
    // within the bucket from a finished resumable upload.
    const versionId = randomUUID();
    const key = assetFileKey({ userId, assetType: existing.assetType, assetId: existing.id, createdAt: existing.createdAt, extension: plan.format, versionId });
    let pruned: string[] = [];
    try {
      const result = await runStagedUpload<{ asset: Asset; version: AssetVersion }>(
        { db: this.db, storage: this.storage, pipeline: this.pipeline, queue: this.queue },
        {
          plan,
          stream: input.stream,
          key,
          storedAt: input.storedAt,
          requestComplete: input.requestComplete,
          writeRows: async (m, upload) => {
            const asset = await this.findAsset(m, userId, assetId, true);
            const [{ next }] = await m.query(`SELECT coalesce(max(version_number), 0) + 1 AS next FROM asset_versions WHERE asset_id = $1`, [asset.id]);
            const version = m.create(AssetVersion, { id: versionId, ...versionRow(upload, { assetId: asset.id, versionNumber: next, storagePath: key, createdBy: userId, changeDescription }) });
            await m.insert(AssetVersion, version);
            Object.assign(asset, mirror(version), { status: "processing", statusReason: null, processingAttempts: 0 });
            await m.save(asset);
            await recordActivity(m, [{
              userId, assetId: asset.id, folderId: asset.folderId, type: "version_added", requestId: input.requestId, versionNumber: next,
              after: { file_size: upload.size, checksum: upload.checksum, original_filename: upload.originalFilename, change_description: changeDescription },
            }]);
            pruned = await this.pruneOldest(m, asset, { requestId: input.requestId });
            await this.queue.enqueueDerivatives(m, { assetId: asset.id, versionNumber: next });
            return { value: { asset, version }, wroteRows: true };
          },
        },
      );
      // Pruned files go only once nothing points at them any more.
      for (const old of pruned) await this.storage.delete(old);
      return result;
    } catch (error) {
      if ((error as { code?: string }).code === "23505") throw new AppError("CONFLICT", "Another version was being added at the same time; try again");
      throw error;
    }
  }

  /** Newest first. */
  async list(userId: string, assetId: string): Promise<AssetVersion[]> {
    const asset = await this.findAsset(this.db.manager, userId, assetId);
    return this.db.getRepository(AssetVersion).find({ where: { assetId: asset.id }, order: { versionNumber: "DESC" } });
  }

  async get(userId: string, assetId: string, versionNumber: number): Promise<{ asset: Asset; version: AssetVersion }> {
    const asset = await this.findAsset(this.db.manager, userId, assetId);
    return { asset, version: await findVersion(this.db.manager, asset.id, versionNumber) };
  }

  async compare(userId: string, assetId: string, fromNumber: number, toNumber: number): Promise<VersionComparison> {
    const asset = await this.findAsset(this.db.manager, userId, assetId);
    const [from, to] = await Promise.all([findVersion(this.db.manager, asset.id, fromNumber), findVersion(this.db.manager, asset.id, toNumber)]);
    return compareVersions(asset.assetType, from, to);
  }

  /** Points the asset at an earlier (or later) version; no version is lost. */
  async rollback(userId: string, assetId: string, versionNumber: number, ctx: ChangeContext = {}): Promise<Asset> {
    const asset = await this.db.transaction(async (m) => {
      const asset = await this.findAsset(m, userId, assetId, true);
      const version = await findVersion(m, asset.id, versionNumber);
      await recordActivity(m, [{
        userId, assetId: asset.id, folderId: asset.folderId, type: "rolled_back", requestId: ctx.requestId, versionNumber,
        before: { current_version: asset.currentVersion }, after: { current_version: versionNumber },
      }]);
      const derived = await m.count(AssetDerivative, { where: { assetId: asset.id, versionNumber } });
      Object.assign(asset, mirror(version), { statusReason: null, processingAttempts: 0, status: derived > 0 ? "ready" : "processing" });
      await m.save(asset);
      if (derived === 0) await this.queue.enqueueDerivatives(m, { assetId: asset.id, versionNumber });
      return asset;
    });
    this.queue.nudge();
    return asset;
  }

  /** Deletes a version that is not the current one, with its derivatives, files after commit. */
  async delete(userId: string, assetId: string, versionNumber: number, ctx: ChangeContext = {}): Promise<AssetVersion> {
    let files: string[] = [];
    const version = await this.db.transaction(async (m) => {
      const asset = await this.findAsset(m, userId, assetId, true);
      const version = await findVersion(m, asset.id, versionNumber);
      if (asset.currentVersion === versionNumber) {
        throw new AppError("CONFLICT", "The current version cannot be deleted; roll back to another version first", { version_number: versionNumber });
      }
      files = await removeVersion(m, asset.id, versionNumber);
      await recordActivity(m, [{ userId, assetId: asset.id, folderId: asset.folderId, type: "version_deleted", requestId: ctx.requestId, versionNumber, before: { checksum: version.checksum, file_size: version.fileSize } }]);
      return version;
    });
    for (const key of files) await this.storage.delete(key);
    return version;
  }

  /** Over the limit, the oldest versions that are not current go (rows now, files after commit). */
  private async pruneOldest(m: EntityManager, asset: Asset, ctx: ChangeContext): Promise<string[]> {
    const doomed: Array<{ version_number: number }> = await m.query(
      `SELECT version_number FROM asset_versions WHERE asset_id = $1 AND version_number <> $2
        ORDER BY version_number DESC OFFSET $3`,
      [asset.id, asset.currentVersion, MAX_VERSIONS - 1],
    );
    const files: string[] = [];
    for (const { version_number } of doomed) files.push(...(await removeVersion(m, asset.id, version_number)));
    await recordActivity(m, doomed.map((d) => ({
      userId: asset.userId, assetId: asset.id, folderId: asset.folderId, type: "version_deleted" as const, requestId: ctx.requestId,
      versionNumber: d.version_number, after: { reason: "pruned", max_versions: MAX_VERSIONS },
    })));
    return files;
  }

  /** Versions belong to live assets: a deleted one must be restored first. */
  private async findAsset(m: EntityManager, userId: string, assetId: string, lock = false): Promise<Asset> {
    const asset = await findOwnedAsset(m, userId, assetId, lock);
    if (asset.status === "deleted") throw new AppError("CONFLICT", "The asset is deleted; restore it first");
    return asset;
  }
}

async function findVersion(m: EntityManager, assetId: string, versionNumber: number): Promise<AssetVersion> {
  if (!Number.isSafeInteger(versionNumber) || versionNumber < 1) throw notFound("Version");
  const version = await m.findOne(AssetVersion, { where: { assetId, versionNumber } });
  if (!version) throw notFound("Version");
  return version;
}

/** Deletes a version's rows and returns the storage keys of its file, derivatives and renders. */
async function removeVersion(m: EntityManager, assetId: string, versionNumber: number): Promise<string[]> {
  const rows: Array<{ storage_path: string }> = await m.query(
    `SELECT storage_path FROM asset_versions WHERE asset_id = $1 AND version_number = $2
      UNION SELECT storage_path FROM asset_derivatives WHERE asset_id = $1 AND version_number = $2
      UNION SELECT storage_path FROM asset_renders WHERE asset_id = $1 AND version_number = $2`,
    [assetId, versionNumber],
  );
  await m.query(`DELETE FROM asset_renders WHERE asset_id = $1 AND version_number = $2`, [assetId, versionNumber]);
  await m.query(`DELETE FROM asset_derivatives WHERE asset_id = $1 AND version_number = $2`, [assetId, versionNumber]);
  await m.query(`DELETE FROM asset_versions WHERE asset_id = $1 AND version_number = $2`, [assetId, versionNumber]);
  return rows.map((r) => r.storage_path);
}

/** The version row for an inspected upload. */
export function versionRow(
  upload: InspectedUpload,
  fields: { assetId: string; versionNumber: number; storagePath: string; createdBy: string; changeDescription: string | null; createdAt?: Date },
): Partial<AssetVersion> {
  return {
    ...fields,
    fileSize: upload.size,
    checksum: upload.checksum,
    mimeType: upload.mimeType,
    fileExtension: upload.extension,
    originalFilename: upload.originalFilename,
    metadata: upload.metadata,
    phash: storedPictureHash(upload),
  };
}

/** The asset's file fields, as its current version has them. */
function mirror(version: AssetVersion): Partial<Asset> {
  return {
    currentVersion: version.versionNumber,
    mimeType: version.mimeType,
    fileExtension: version.fileExtension,
    fileSize: version.fileSize,
    storagePath: version.storagePath,
    originalFilename: version.originalFilename,
    checksum: version.checksum,
    metadata: version.metadata,
    visual: version.visual,
    phash: version.phash,
  };
}

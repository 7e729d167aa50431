import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import { AppError, notFound, validationFailed } from "../errors";
import { Asset, AssetDerivative, AssetReference, AssetVersion } from "./entities";
import type { NearHash } from "./similar.repository";
import { announcedNearDuplicates } from "./similar.service";
import { newAssetRow } from "./upload/asset-row";
import { DERIVATIVE_KINDS, type DerivativeKind } from "./entities/asset-derivative.entity";
import { assetFileKey } from "./storage/paths";
import type { StorageDriver } from "./storage/storage-driver";
import type { JobQueue } from "./jobs/queue";
import { cleanTagNames, type TagService } from "./tag.service";
import type { UploadPipeline } from "./upload/upload-pipeline";
import { runStagedUpload, type StagedUploadDeps } from "./upload/staged-upload";
import { versionRow } from "./version.service";
import { adjustFolderAssetCount, findOwnedFolder } from "./folder.repository";
import { findOwnedAsset, softDeleteAssets } from "./asset.repository";
import { adjustTagUsageOfAssets } from "./tag.repository";
import { duplicateOf } from "./upload/duplicate";
import { loggedUpload } from "./upload/upload-log";
import { planUpload } from "./upload/plan";
import { cleanDescription, cleanName, optionalUuid } from "./validation";
import { recordActivity } from "./activity/activity.repository";
import { changedFields, type ChangeContext } from "./activity/asset-event";

export interface UploadInput {
  filename: string | undefined;
  stream: Readable;
  name?: string | null;
  description?: string | null;
  folderId?: string | null;
  assetType?: string | null;
  /** Tag names to attach; unknown names are created. */
  tags?: string[] | null;
  /** When the same bytes are already in the library: reject (default), link (answer with that asset) or keep. */
  onDuplicate?: string | null;
  /** The HTTP request's id, for the upload's log line. */
  requestId?: string;
  /** Settles when the request carrying the file has been read to its end (REST multipart). */
  requestComplete?: Promise<void>;
  /**
   * The bytes are already in the store under this key (a finished resumable upload): where the
   * store can copy within itself, the asset's file is copied from there instead of written again.
   */
  storedAt?: string;
  /** Hash the picture now and answer with the near-duplicates already in the library (costs a decode). */
  findSimilar?: boolean;
}

/** An upload's answer; `nearDuplicates` only when the upload asked (`findSimilar`), else null. */
export interface UploadResult {
  asset: Asset;
  created: boolean;
  nearDuplicates: NearHash[] | null;
}

export interface AssetChanges {
  name?: string;
  description?: string | null;
  /** null moves the asset to the root. */
  folderId?: string | null;
}

/** The asset aggregate: upload, read, list, update and delete, always within one owner's library. */
export class AssetService {
  constructor(
    private readonly db: DataSource,
    private readonly storage: StorageDriver,
    private readonly pipeline: UploadPipeline,
    private readonly queue: JobQueue,
    private readonly tags: TagService,
    private readonly log: Logger,
  ) {
    this.uploads = { db, storage, pipeline, queue };
  }

  private readonly uploads: StagedUploadDeps;

  /** Stores an upload as a new asset; `created` is false when `link` answered with an existing one. */
  upload(userId: string, input: UploadInput): Promise<UploadResult> {
    return loggedUpload(this.log, { userId, kind: "asset", filename: input.filename, assetType: input.assetType, requestId: input.requestId }, () => this.storeUpload(userId, input));
  }

  /**
   * Every check an upload's fields get before its first byte is read: type, format and size limit
   * (the plan), duplicate rule, name, description, tags, and the target folder being the caller's.
   * A resumable upload runs it when it begins.
   */
  async checkUpload(userId: string, input: Omit<UploadInput, "stream">) {
    const plan = planUpload(input.filename, input.assetType);
    const onDuplicate = input.onDuplicate ?? "reject";
    if (!["reject", "link", "keep"].includes(onDuplicate)) throw validationFailed({ on_duplicate: "must be reject, link or keep" });
    const name = cleanName("name", input.name ?? stem(plan.originalFilename));
    const description = cleanDescription(input.description);
    const folderId = optionalUuid("folder_id", input.folderId) ?? null;
    const tagNames = input.tags && input.tags.length > 0 ? cleanTagNames(input.tags) : [];
    // Fail before reading the body when the target folder is not this user's.
    if (folderId) await findOwnedFolder(this.db.manager, userId, folderId);
    return { plan, onDuplicate, name, description, folderId, tagNames };
  }

  private async storeUpload(userId: string, input: UploadInput): Promise<UploadResult> {
    const { plan, onDuplicate, name, description, folderId, tagNames } = await this.checkUpload(userId, input);
    const assetId = randomUUID();
    // Millisecond precision keeps the row's time equal to the JavaScript Date used in cursors and keys.
    const createdAt = new Date();
    const key = assetFileKey({ userId, assetType: plan.assetType, assetId, createdAt, extension: plan.format });
    return runStagedUpload<UploadResult>(this.uploads, {
      plan,
      stream: input.stream,
      key,
      storedAt: input.storedAt,
      requestComplete: input.requestComplete,
      findSimilar: input.findSimilar,
      // An upload of bytes the library already holds is answered before anything more is stored
      // (the check inside the transaction below settles identical uploads racing each other).
      answerEarly: async (upload) => {
        const known = await duplicateOf(this.db.manager, userId, upload.checksum, onDuplicate);
        return known ? { asset: known, created: false, nearDuplicates: null } : undefined;
      },
      writeRows: async (m, upload) => {
        // Identical uploads racing each other queue here, so the check below sees the winner's row.
        await m.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, [userId, upload.checksum]);
        const twin = await duplicateOf(m, userId, upload.checksum, onDuplicate);
        // Linked to the asset that already holds these bytes: the files stored for this upload go.
        if (twin) return { value: { asset: twin, created: false, nearDuplicates: null }, wroteRows: false };
        if (folderId) await findOwnedFolder(m, userId, folderId, true);
        const asset = newAssetRow(upload, { id: assetId, userId, folderId, name, description, storagePath: key, createdAt });
        await m.insert(Asset, asset);
        await m.insert(AssetVersion, versionRow(upload, { assetId, versionNumber: 1, storagePath: key, createdBy: userId, changeDescription: "Original upload", createdAt }));
        if (folderId) await adjustFolderAssetCount(m, folderId, +1);
        await this.tags.applyTags(m, userId, [assetId], tagNames);
        await this.queue.enqueueDerivatives(m, { assetId, versionNumber: 1 });
        await recordActivity(m, [{
          userId, assetId, folderId, type: "uploaded", requestId: input.requestId, versionNumber: 1,
          after: { name, asset_type: plan.assetType, file_size: upload.size, checksum: upload.checksum, original_filename: plan.originalFilename, tags: tagNames },
        }]);
        // Asked for, a type without a picture has none; not asked, they are not known yet.
        const nearDuplicates = !input.findSimilar ? null : upload.pictureHash ? await announcedNearDuplicates(m, userId, upload.pictureHash, assetId) : [];
        return { value: { asset, created: true, nearDuplicates }, wroteRows: true };
      },
    });
  }

  async get(userId: string, assetId: string): Promise<Asset> {
    return findOwnedAsset(this.db.manager, userId, assetId);
  }

  /** One derivative of the asset's current version (or of another version); NOT_FOUND until it has been made. */
  async getDerivative(userId: string, assetId: string, kind: string, versionNumber?: number): Promise<{ asset: Asset; derivative: AssetDerivative }> {
    const asset = await findOwnedAsset(this.db.manager, userId, assetId);
    const version = versionNumber ?? asset.currentVersion;
    const derivative = (DERIVATIVE_KINDS as readonly string[]).includes(kind) && Number.isSafeInteger(version)
      ? await this.db.manager.findOne(AssetDerivative, { where: { assetId: asset.id, versionNumber: version, kind: kind as DerivativeKind } })
      : null;
    if (!derivative) throw notFound("Derivative");
    return { asset, derivative };
  }

  async update(userId: string, assetId: string, changes: AssetChanges, ctx: ChangeContext = {}): Promise<Asset> {
    const name = changes.name === undefined ? undefined : cleanName("name", changes.name);
    const description = changes.description === undefined ? undefined : cleanDescription(changes.description);
    const folderId = optionalUuid("folder_id", changes.folderId);
    return this.db.transaction(async (m) => {
      const asset = await findOwnedAsset(m, userId, assetId, true);
      const before = { name: asset.name, description: asset.description, folder_id: asset.folderId };
      if (name !== undefined) asset.name = name;
      if (description !== undefined) asset.description = description;
      if (folderId !== undefined && folderId !== asset.folderId) {
        if (folderId) await findOwnedFolder(m, userId, folderId, true);
        if (asset.status !== "deleted") {
          if (asset.folderId) await adjustFolderAssetCount(m, asset.folderId, -1);
          if (folderId) await adjustFolderAssetCount(m, folderId, +1);
        }
        asset.folderId = folderId;
      }
      const change = changedFields(before, { name: asset.name, description: asset.description, folder_id: asset.folderId }, ["name", "description", "folder_id"]);
      if (change) await recordActivity(m, [{ userId, assetId: asset.id, folderId: asset.folderId, type: "updated", requestId: ctx.requestId, ...change }]);
      return m.save(asset);
    });
  }

  /**
   * Soft delete: the asset leaves listings and its folder's count; files stay until purge.
   * A referenced asset needs `force`, which removes its references in the same transaction.
   */
  async delete(userId: string, assetId: string, force = false, ctx: ChangeContext = {}): Promise<Asset> {
    return this.db.transaction(async (m) => {
      const asset = await findOwnedAsset(m, userId, assetId, true);
      if (asset.status === "deleted") return asset;
      const references = await m.find(AssetReference, { where: { assetId: asset.id, userId } });
      if (references.length > 0 && !force) {
        throw new AppError("ASSET_IN_USE", `The asset is used by ${references.length} resource(s); delete with force to remove them`, {
          references: references.map((r) => ({
            resource_type: r.resourceType,
            resource_id: r.resourceId,
            usage_type: r.usageType,
          })),
        });
      }
      if (references.length > 0) await m.delete(AssetReference, { assetId: asset.id, userId });
      const deletedAt = await softDeleteAssets(m, [asset.id]);
      await recordActivity(m, [{
        userId, assetId: asset.id, folderId: asset.folderId, type: "deleted", requestId: ctx.requestId,
        before: { status: asset.status },
        after: { status: "deleted", forced: force, references_removed: references.map((r) => ({ resource_type: r.resourceType, resource_id: r.resourceId, usage_type: r.usageType })) },
      }]);
      return Object.assign(asset, { status: "deleted", deletedAt, updatedAt: deletedAt });
    });
  }

  /**
   * Brings a soft-deleted asset back (until it is purged): into its folder if that still exists,
   * else the root; its tags count it again; `ready` when its derivatives exist, else processed again.
   */
  async restore(userId: string, assetId: string, ctx: ChangeContext = {}): Promise<Asset> {
    const asset = await this.db.transaction(async (m) => {
      const asset = await findOwnedAsset(m, userId, assetId, true);
      if (asset.status !== "deleted") return asset;
      if (asset.folderId) await adjustFolderAssetCount(m, asset.folderId, +1);
      await adjustTagUsageOfAssets(m, [asset.id], +1);
      const derived = await m.count(AssetDerivative, { where: { assetId: asset.id, versionNumber: asset.currentVersion } });
      asset.status = derived > 0 ? "ready" : "processing";
      asset.deletedAt = null;
      asset.processingAttempts = 0;
      if (derived === 0) await this.queue.enqueueDerivatives(m, { assetId: asset.id, versionNumber: asset.currentVersion });
      await recordActivity(m, [{ userId, assetId: asset.id, folderId: asset.folderId, type: "restored", requestId: ctx.requestId, before: { status: "deleted" }, after: { status: asset.status } }]);
      return m.save(asset);
    });
    this.queue.nudge();
    return asset;
  }
}

function stem(filename: string): string {
  const dot = filename.lastIndexOf(".");
  return dot > 0 ? filename.slice(0, dot) : filename;
}

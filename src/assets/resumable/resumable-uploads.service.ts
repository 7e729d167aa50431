import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import { AppError, notFound, toAppError, validationFailed } from "../../errors";
import type { AssetService } from "../asset.service";
import type { Asset } from "../entities";
import type { UploadPlan } from "../upload/plan";
import { isUuid } from "../validation";
import type { VersionService } from "../version.service";
import { resumableUploadRepository as uploads, type ResumableUpload, type ResumableUploadFields } from "./resumable-upload.repository";
import type { TusStore } from "./tus-store";

/** An upload checked and named, before the tus store holds anything of it. */
export type PreparedUpload = Pick<ResumableUpload, "id" | "userId" | "targetAssetId" | "length" | "filename" | "fields">;

export interface ResumableUploadState extends ResumableUpload {
  /** Bytes received so far. */
  offset: number;
  /** The asset it became, while it is still there. */
  asset: Asset | null;
}

/** Upload-Metadata keys, as the multipart upload names its fields. */
const ASSET_KEYS = ["filename", "name", "description", "asset_type", "folder_id", "tags", "on_duplicate", "find_similar"];
const VERSION_KEYS = ["filename", "asset_id", "change_description"];

/**
 * Resumable (tus) uploads: the rules around the bytes @tus/server receives. An upload is checked
 * in full before its first byte (metadata, the target folder or asset, the type's size limit
 * from Upload-Length), belongs to the user who began it, and on completion runs through the same
 * upload path as a multipart upload (identify, scan, metadata, duplicates, commit). Its outcome
 * stays readable after the bytes are gone, until it expires.
 */
export class ResumableUploadService {
  constructor(
    private readonly db: DataSource,
    readonly tus: TusStore,
    private readonly assets: AssetService,
    private readonly versions: VersionService,
    private readonly options: { expirySeconds: number },
    private readonly log: Logger,
  ) {}

  /** Checks a new upload from its declared length and Upload-Metadata; nothing is stored yet. */
  async prepare(userId: string, length: number | undefined, metadata: Record<string, string | null | undefined>): Promise<PreparedUpload> {
    if (length === undefined) throw validationFailed({ "Upload-Length": "is required (the size limit is checked before the upload starts)" });
    const value = (key: string) => metadata[key] ?? undefined;
    const assetId = value("asset_id");
    const allowed = assetId !== undefined ? VERSION_KEYS : ASSET_KEYS;
    const unknown = Object.keys(metadata).filter((key) => !allowed.includes(key) && !IGNORED_CLIENT_KEYS.includes(key));
    if (unknown.length > 0) throw validationFailed({ "Upload-Metadata": `unknown key(s) ${unknown.join(", ")}; use ${allowed.join(", ")}` });
    const filename = value("filename");
    if (!filename) throw validationFailed({ filename: "is required in Upload-Metadata" });

    // The same checks a multipart upload's fields get, before any byte; completion runs them again.
    let targetAssetId: string | null = null;
    let fields: ResumableUploadFields;
    let plan: UploadPlan;
    if (assetId !== undefined) {
      const checked = await this.versions.checkUpload(userId, assetId, { filename, changeDescription: value("change_description") });
      targetAssetId = checked.existing.id;
      plan = checked.plan;
      fields = { changeDescription: checked.changeDescription ?? undefined };
    } else {
      fields = { name: value("name"), description: value("description"), assetType: value("asset_type"), onDuplicate: value("on_duplicate"), findSimilar: flag("find_similar", value("find_similar")) };
      const checked = await this.assets.checkUpload(userId, { filename, ...fields, folderId: value("folder_id"), tags: value("tags")?.split(",") });
      plan = checked.plan;
      fields = { ...fields, description: checked.description ?? undefined, folderId: checked.folderId ?? undefined, tags: checked.tagNames.length > 0 ? checked.tagNames : undefined };
    }
    if (length > plan.maxBytes) {
      throw new AppError("FILE_TOO_LARGE", `A ${plan.assetType} upload may be at most ${plan.maxBytes} bytes; Upload-Length says ${length}`, { max_bytes: plan.maxBytes });
    }
    return { id: randomUUID(), userId, targetAssetId, length, filename: plan.originalFilename, fields };
  }

  /** Records a prepared upload, just before the tus store creates it. */
  async record(prepared: PreparedUpload): Promise<void> {
    await uploads.insert(this.db.manager, { ...prepared, expiresAt: this.expiryFromNow() });
  }

  /** The caller's upload; another user's, a malformed or an unknown id are all NOT_FOUND. */
  async requireOwn(userId: string, id: string): Promise<ResumableUpload> {
    const upload = isUuid(id) ? await uploads.findOwned(this.db.manager, userId, id.toLowerCase()) : undefined;
    if (!upload || upload.expiresAt.getTime() < Date.now()) throw notFound("Upload");
    return upload;
  }

  /** The upload with how many bytes have arrived. */
  async state(userId: string, id: string): Promise<ResumableUploadState> {
    const upload = await this.requireOwn(userId, id);
    if (upload.status === "receiving") {
      const received = await this.tus.store.getUpload(this.tus.keyOf(upload.id)).catch(() => undefined);
      return { ...upload, offset: received?.offset ?? 0, asset: null };
    }
    const asset = upload.assetId ? await this.assets.get(userId, upload.assetId).catch(() => null) : null;
    return { ...upload, offset: upload.length, asset };
  }

  /**
   * Runs a fully received upload through the upload path and records what became of it. Called
   * once per upload (the claim settles races). The received bytes stay until `discardBytes`,
   * which the HTTP layer calls once the answer is out (@tus/server reads the upload once more
   * while answering).
   */
  async complete(userId: string, id: string, requestId?: string): Promise<ResumableUpload> {
    const upload = await uploads.claimForProcessing(this.db.manager, userId, id);
    if (!upload) return this.requireOwn(userId, id);
    // On S3 the received object becomes the file by a copy inside the bucket.
    const storedAt = this.tus.storageKeyOf(id);
    try {
      const stream = await this.tus.store.read(this.tus.keyOf(id));
      if (upload.targetAssetId) {
        const { version } = await this.versions.upload(userId, upload.targetAssetId, {
          filename: upload.filename,
          stream,
          changeDescription: upload.fields.changeDescription,
          requestId,
          storedAt,
        });
        await this.finish(id, { status: "completed", assetId: version.assetId, versionNumber: version.versionNumber });
      } else {
        const { asset, created } = await this.assets.upload(userId, { filename: upload.filename, stream, ...upload.fields, requestId, storedAt });
        await this.finish(id, { status: "completed", assetId: asset.id, versionNumber: asset.currentVersion, linked: !created });
      }
    } catch (error) {
      const refusal = toAppError(error);
      await this.finish(id, { status: "failed", error: { code: refusal.code, message: refusal.message, details: refusal.details ?? {} } });
    }
    return this.requireOwn(userId, id);
  }

  /** Removes a finished upload's received bytes (the sweep removes them too, should this fail). */
  async discardBytes(uploadId: string): Promise<void> {
    await this.tus.store.remove(this.tus.keyOf(uploadId)).catch((error) => {
      if (!isMissingUpload(error)) this.log.warn({ err: error, upload: uploadId }, "could not remove a finished upload's bytes");
    });
  }

  /** Forgets an upload whose bytes the tus store already removed (termination), or a finished one. */
  async forget(userId: string, id: string): Promise<void> {
    await uploads.deleteOwned(this.db.manager, userId, id);
  }

  /**
   * Removes uploads past their expiry: their bytes (an unfinished one's), then their rows (a
   * finished one's outcome). Safe to run on every node at once: removing twice is harmless.
   */
  async sweepExpired(now = new Date()): Promise<number> {
    let removed = 0;
    for (;;) {
      const batch = await uploads.expired(this.db.manager, now, 200);
      for (const upload of batch) {
        // A finished upload's bytes are normally gone already; removing them again is harmless.
        await this.tus.store.remove(this.tus.keyOf(upload.id)).catch((error) => {
          if (!isMissingUpload(error)) throw error;
        });
        await uploads.deleteExpired(this.db.manager, upload.id, now);
        removed += 1;
      }
      if (batch.length < 200) return removed;
    }
  }

  private async finish(id: string, outcome: Omit<Parameters<typeof uploads.finish>[2], "keepUntil">): Promise<void> {
    await uploads.finish(this.db.manager, id, { ...outcome, keepUntil: this.expiryFromNow() });
  }

  private expiryFromNow(): Date {
    return new Date(Date.now() + this.options.expirySeconds * 1000);
  }
}

/** Keys tus clients add on their own (tus-js-client's browser examples, Uppy); they carry nothing we use. */
const IGNORED_CLIENT_KEYS = ["filetype", "type", "relativePath", "size"];

function isMissingUpload(error: unknown): boolean {
  return (error as { status_code?: number }).status_code === 404;
}

/** A metadata flag: "true" or "false" (or absent). */
function flag(field: string, text: string | undefined): boolean | undefined {
  if (text !== undefined && text !== "true" && text !== "false") throw validationFailed({ [field]: "must be true or false" });
  return text === "true" || undefined;
}

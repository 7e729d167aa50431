import path from "node:path";
import { FileStore } from "@tus/file-store";
import { S3Store } from "@tus/s3-store";
import type { Config } from "../../config";
import { isUuid } from "../validation";
import { ChecksummedStore, type ReadableDataStore } from "./checksummed-store";

const UPLOADS_DIR = "uploads";

/** S3 multipart parts of a resumable upload: the SDK's default, well above S3's 5 MiB minimum. */
const PART_BYTES = 8 * 1024 * 1024;

/**
 * Where resumable uploads keep their bytes until they complete: @tus/file-store in
 * `STORAGE_DIR/uploads` on local storage, @tus/s3-store under `<S3_PREFIX>uploads/` in the bucket
 * (so any API node can take the next PATCH). Both sit outside `assets/`, which the storage
 * reconcile lists. Upload ids in URLs are UUIDs; `keyOf` maps one to the store's id.
 */
export interface TusStore {
  store: ChecksummedStore;
  keyOf(uploadId: string): string;
  /** The same bytes as the storage driver names them (under its own prefix), once the upload is complete. */
  storageKeyOf(uploadId: string): string;
  /** The URL id of a store id; undefined for anything `keyOf` never made. */
  uploadIdOf(key: string): string | undefined;
}

/**
 * @tus/s3-store, removing everything of an upload: its `remove` gives up when the multipart
 * upload is already complete (aborting it fails before the objects are deleted) and never
 * deletes the incomplete tail part. Removing is idempotent.
 */
class S3UploadStore extends S3Store {
  override async remove(id: string): Promise<void> {
    try {
      await super.remove(id);
    } catch (error) {
      if ((error as { status_code?: number }).status_code !== 404) throw error;
    }
    await this.client.deleteObjects({
      Bucket: this.bucket,
      Delete: { Objects: [{ Key: id }, { Key: this.infoKey(id) }, { Key: this.partKey(id, true) }], Quiet: true },
    });
  }
}

export function openTusStore(config: Pick<Config, "storageDir" | "s3" | "resumableUploads">, spoolPath: () => string): TusStore {
  const expirationPeriodInMilliseconds = config.resumableUploads.expirySeconds * 1000;
  let inner: ReadableDataStore;
  let prefix = "";
  if (config.s3) {
    prefix = `${config.s3.prefix}${UPLOADS_DIR}/`;
    inner = new S3UploadStore({
      partSize: PART_BYTES,
      expirationPeriodInMilliseconds,
      // Expiry is enforced by the sweep over `resumable_uploads`, not by bucket lifecycle tags.
      useTags: false,
      s3ClientConfig: {
        bucket: config.s3.bucket,
        endpoint: config.s3.endpoint,
        region: config.s3.region,
        forcePathStyle: config.s3.forcePathStyle,
        // As for the storage driver: no streamed CRC trailer, which some S3-compatible stores keep as data.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
        maxAttempts: 3,
      },
    }) as unknown as ReadableDataStore;
  } else {
    inner = new FileStore({ directory: path.join(config.storageDir, UPLOADS_DIR), expirationPeriodInMilliseconds });
  }
  return {
    store: new ChecksummedStore(inner, spoolPath),
    keyOf: (uploadId) => `${prefix}${uploadId}`,
    storageKeyOf: (uploadId) => `${UPLOADS_DIR}/${uploadId}`,
    uploadIdOf(key) {
      const id = key.startsWith(prefix) ? key.slice(prefix.length) : undefined;
      return id !== undefined && isUuid(id) ? id : undefined;
    },
  };
}

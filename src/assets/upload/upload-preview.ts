import type { EntityManager } from "typeorm";
import { AssetDerivative } from "../entities";
import type { Asset } from "../entities";
import { assetFileKey } from "../storage/paths";
import type { StorageDriver } from "../storage/storage-driver";
import type { InspectedUpload } from "./upload-pipeline";

type PreviewTarget = { asset: Pick<Asset, "id" | "userId" | "assetType" | "createdAt">; versionNumber: number };

/** Where the preview an upload's image check made is stored. */
export function uploadPreviewKey({ asset, versionNumber }: PreviewTarget): string {
  return assetFileKey({ userId: asset.userId, assetType: asset.assetType, assetId: asset.id, createdAt: asset.createdAt, extension: "webp", versionNumber, variant: "preview" });
}

/**
 * Records, inside the upload's transaction, the preview its image check made while decoding (so
 * the derivative job does not decode the original again), and moves the file under its key
 * unless the caller already has (`stored`). Returns the key, for the caller to remove should the
 * transaction fail; undefined when the check made none (not a single-frame raster image).
 */
export async function recordUploadPreview(
  m: EntityManager,
  storage: StorageDriver,
  upload: InspectedUpload,
  target: PreviewTarget,
  stored = false,
): Promise<string | undefined> {
  const preview = upload.preview;
  if (!preview) return undefined;
  const { asset, versionNumber } = target;
  const key = uploadPreviewKey(target);
  await m.insert(AssetDerivative, {
    assetId: asset.id,
    versionNumber,
    kind: "preview",
    storagePath: key,
    mimeType: "image/webp",
    fileSize: preview.size,
    width: preview.width,
    height: preview.height,
  });
  if (!stored) await storage.commit(preview.path, key);
  return key;
}

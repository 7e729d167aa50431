import type { EntityManager } from "typeorm";
import { AssetDerivative } from "../entities";
import type { Asset } from "../entities";
import { assetFileKey } from "../storage/paths";
import type { InspectedUpload } from "./upload-pipeline";

type PreviewTarget = { asset: Pick<Asset, "id" | "userId" | "assetType" | "createdAt">; versionNumber: number };

/** Where the preview an upload's image check made is stored. */
export function uploadPreviewKey({ asset, versionNumber }: PreviewTarget): string {
  return assetFileKey({ userId: asset.userId, assetType: asset.assetType, assetId: asset.id, createdAt: asset.createdAt, extension: "webp", versionNumber, variant: "preview" });
}

/**
 * Records, inside the upload's transaction, the preview its image check made while decoding (so
 * the derivative job does not decode the original again), stored under `uploadPreviewKey`. The
 * caller stores the file (before or inside the transaction) and removes it should the rows not
 * commit. Does nothing when the check made none (not a single-frame raster image).
 */
export async function recordUploadPreview(m: EntityManager, upload: InspectedUpload, target: PreviewTarget): Promise<void> {
  const preview = upload.preview;
  if (!preview) return;
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
}

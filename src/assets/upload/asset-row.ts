import { Asset } from "../entities";
import { hashToBigint } from "../media/perceptual-hash";
import type { InspectedUpload } from "./upload-pipeline";

/** The perceptual hash as the rows keep it, when the upload made one (else the job will). */
export function storedPictureHash(upload: Pick<InspectedUpload, "pictureHash">): string | null {
  return upload.pictureHash ? hashToBigint(upload.pictureHash) : null;
}

/** A new asset's row from its checked upload: version 1, `processing` until its derivatives exist. */
export function newAssetRow(
  upload: InspectedUpload,
  fields: Pick<Asset, "id" | "userId" | "folderId" | "name" | "description" | "storagePath" | "createdAt">,
): Asset {
  return Object.assign(new Asset(), {
    ...fields,
    assetType: upload.assetType,
    mimeType: upload.mimeType,
    fileExtension: upload.extension,
    fileSize: upload.size,
    originalFilename: upload.originalFilename,
    checksum: upload.checksum,
    status: "processing",
    statusReason: null,
    processingAttempts: 0,
    metadata: upload.metadata,
    phash: storedPictureHash(upload),
    currentVersion: 1,
    deletedAt: null,
    updatedAt: fields.createdAt,
  });
}

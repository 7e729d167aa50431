import { AppError } from "../../errors";
import { ASSET_TYPE_RULES, ASSET_TYPES, assetTypeForExtension, extensionOf, formatFor, isAssetType, type AssetType, type MediaFormat } from "../asset-types";
import { cleanFilename } from "./filename";

/** What an upload will be checked against, known before its first byte is read. */
export interface UploadPlan {
  originalFilename: string;
  assetType: AssetType;
  /** The extension as sent, lower-cased ("jpeg" stays "jpeg"). */
  extension: string;
  format: MediaFormat;
  maxBytes: number;
}

/** Decides type, format and size limit from the name and requested type; refuses bad ones up front. */
export function planUpload(filename: string | undefined, requestedType?: string | null): UploadPlan {
  const originalFilename = cleanFilename(filename);
  const extension = extensionOf(originalFilename);
  if (requestedType != null && !isAssetType(requestedType)) {
    throw new AppError("VALIDATION_FAILED", `asset_type must be one of ${ASSET_TYPES.join(", ")}`, {
      fields: { asset_type: "unknown asset type" },
    });
  }
  const assetType = requestedType ?? assetTypeForExtension(extension);
  const format = assetType ? formatFor(assetType, extension) : undefined;
  if (!assetType || !format) {
    const allowed = assetType ? Object.keys(ASSET_TYPE_RULES[assetType].extensions).join(", ") : "an accepted media extension";
    throw new AppError("INVALID_FILE_TYPE", `.${extension || "(none)"} files are not accepted${assetType ? ` as ${assetType}` : ""}; use ${allowed}`, {
      extension,
      asset_type: assetType ?? null,
    });
  }
  return { originalFilename, assetType, extension, format, maxBytes: ASSET_TYPE_RULES[assetType].maxBytes };
}

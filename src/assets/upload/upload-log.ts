import type { Logger } from "pino";
import { toAppError } from "../../errors";
import { uploadBytesTotal, uploadsTotal } from "../../metrics";
import type { Asset } from "../entities";

export interface UploadLogContext {
  userId: string;
  /** A new asset, or a new version of one. */
  kind: "asset" | "version";
  filename: string | undefined;
  /** The type asked for (or the asset's, for a version). */
  assetType: string | null | undefined;
  /** The HTTP request's id (X-Request-Id), so the line joins the request's own. */
  requestId: string | undefined;
}

/**
 * Runs an upload and logs its outcome, stored or refused, in one line: who, what, how big, how
 * long, and the code and reason of a refusal (a malware or active-SVG refusal is a security
 * event someone may need to find later). The line carries the request's id.
 */
export async function loggedUpload<T extends { asset: Asset; created?: boolean }>(log: Logger, context: UploadLogContext, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const base = { user: context.userId, kind: context.kind, filename: context.filename?.slice(0, 255) };
  const requestId = context.requestId ? { req_id: context.requestId } : {};
  try {
    const result = await run();
    const { assetType, fileSize } = result.asset;
    const outcome = result.created === false ? "linked" : "stored";
    uploadsTotal.inc({ kind: context.kind, asset_type: assetType, outcome });
    if (outcome === "stored") uploadBytesTotal.inc({ asset_type: assetType }, fileSize);
    log.info({ ...requestId, upload: { ...base, asset: result.asset.id, asset_type: assetType, bytes: fileSize, ms: Date.now() - started, outcome } }, "upload stored");
    return result;
  } catch (error) {
    const refusal = toAppError(error);
    uploadsTotal.inc({ kind: context.kind, asset_type: context.assetType ?? "unknown", outcome: refusal.code });
    const details = refusal.details ?? {};
    const line = {
      ...requestId,
      upload: { ...base, asset_type: context.assetType ?? null, ms: Date.now() - started, outcome: refusal.code, reason: details.reason ?? details.finding ?? refusal.message },
    };
    if (refusal.code === "INTERNAL") log.error({ ...line, err: error }, "upload failed");
    else log.warn(line, "upload refused");
    throw error;
  }
}

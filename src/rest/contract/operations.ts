import { ERROR_STATUS, type ErrorCode } from "../../errors";
import { ASSET_OPERATIONS } from "./asset-operations";
import type { Operation } from "./operation";
import { ORGANISE_OPERATIONS } from "./organise-operations";
import { UPLOAD_OPERATIONS } from "./upload-operations";
import { VERSION_OPERATIONS } from "./version-operations";
import { EVENT_OPERATIONS } from "./event-operations";
import { RENDER_OPERATIONS } from "./render-operations";

/** Every /v1 operation, by operationId. */
export const OPERATIONS = { ...ASSET_OPERATIONS, ...RENDER_OPERATIONS, ...VERSION_OPERATIONS, ...ORGANISE_OPERATIONS, ...UPLOAD_OPERATIONS, ...EVENT_OPERATIONS };

/** Served by this process alone, from memory: nothing that can be unavailable. */
const SELF_CONTAINED = new Set(["getOpenApiDocument", "discoverUploads", "discoverUpload"]);

/**
 * Every code an operation can answer: its own, UNAUTHENTICATED behind the bearer token,
 * VALIDATION_FAILED where it takes input (a malformed JSON body included), SERVICE_UNAVAILABLE
 * where the database or storage is involved. Grouped by status for the document.
 */
export function errorCodesOf(op: Operation): Map<number, ErrorCode[]> {
  const codes = new Set<ErrorCode>(op.errors);
  if (!op.public) codes.add("UNAUTHENTICATED");
  if (op.params || op.query || op.body || op.multipart) codes.add("VALIDATION_FAILED");
  if (!SELF_CONTAINED.has(op.operationId)) codes.add("SERVICE_UNAVAILABLE");
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  return byStatus;
}

import { FILE_ANSWERS } from "./asset-operations";
import { defineOperations, ok } from "./operation";
import { AssetParams, CompareQuery, VersionDerivativeParams, VersionParams, VersionUploadForm } from "./requests";
import { Asset, Comparison, Version, VersionList, VersionUpload } from "./schemas";


/** /v1/assets/{id}/versions…: an asset's history. */
export const VERSION_OPERATIONS = defineOperations({
  listVersions: {
    operationId: "listVersions", method: "get", path: "/v1/assets/{id}/versions", tag: "Versions",
    summary: "An asset's versions, newest first", params: AssetParams,
    answers: { 200: ok("The versions kept (at most ten)", VersionList) },
    errors: ["NOT_FOUND"],
  },
  uploadVersion: {
    operationId: "uploadVersion", method: "post", path: "/v1/assets/{id}/versions", tag: "Versions",
    summary: "Upload a new version", description: "The same checks as a new asset; the file must be of the asset's type. The eleventh version prunes the oldest that is not current.",
    params: AssetParams, multipart: VersionUploadForm,
    answers: { 201: ok("The new, current version and the asset", VersionUpload) },
    errors: ["NOT_FOUND", "CONFLICT", "FILE_TOO_LARGE", "INVALID_FILE_TYPE", "MIME_MISMATCH", "INCOMPLETE_UPLOAD", "SECURITY_VIOLATION", "INSUFFICIENT_STORAGE"],
  },
  compareVersions: {
    operationId: "compareVersions", method: "get", path: "/v1/assets/{id}/versions/compare", tag: "Versions",
    summary: "Compare two versions: metadata and size changes, previews side by side", params: AssetParams, query: CompareQuery,
    answers: { 200: ok("The differences", Comparison) },
    errors: ["NOT_FOUND"],
  },
  getVersion: {
    operationId: "getVersion", method: "get", path: "/v1/assets/{id}/versions/{v}", tag: "Versions",
    summary: "One version", params: VersionParams,
    answers: { 200: ok("The version", Version) },
    errors: ["NOT_FOUND"],
  },
  deleteVersion: {
    operationId: "deleteVersion", method: "delete", path: "/v1/assets/{id}/versions/{v}", tag: "Versions",
    summary: "Delete a version that is not current", params: VersionParams,
    answers: { 204: { description: "Deleted, with its files" } },
    errors: ["NOT_FOUND", "CONFLICT"],
  },
  downloadVersion: {
    operationId: "downloadVersion", method: "get", path: "/v1/assets/{id}/versions/{v}/download", tag: "Files",
    summary: "Download a version's file", params: VersionParams,
    answers: FILE_ANSWERS,
    errors: ["NOT_FOUND"],
  },
  getVersionDerivative: {
    operationId: "getVersionDerivative", method: "get", path: "/v1/assets/{id}/versions/{v}/derivatives/{kind}", tag: "Files",
    summary: "A version's derivative", params: VersionDerivativeParams,
    answers: FILE_ANSWERS,
    errors: ["NOT_FOUND"],
  },
  rollbackVersion: {
    operationId: "rollbackVersion", method: "post", path: "/v1/assets/{id}/versions/{v}/rollback", tag: "Versions",
    summary: "Make an earlier version current again", params: VersionParams,
    answers: { 200: ok("The asset, now at that version", Asset) },
    errors: ["NOT_FOUND", "CONFLICT"],
  },
});

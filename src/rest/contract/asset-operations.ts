import { defineOperations, ok, type Answer } from "./operation";
import { AssetChange, AssetDerivativeParams, AssetParams, AssetUploadForm, ExpiresQuery, ForceQuery, SearchBody, SearchQuery, SimilarQuery } from "./requests";
import { Asset, ReferenceList, SearchResult, SignedUrls, SimilarList, Stats, UploadedAsset } from "./schemas";


/** The bytes of a stored file: whole, a range of them, or not modified (ETag / Last-Modified). */
export const FILE_ANSWERS: Record<number, Answer> = {
  200: { description: "The file, in its own content type", file: true },
  206: { description: "The requested byte range (Range: bytes=…)", file: true },
  304: { description: "Not modified since the ETag or date the client has" },
  416: { description: "The range lies outside the file" },
};

/** /v1/assets: upload, search, read, change, delete, download, restore, URLs, usage. */
export const ASSET_OPERATIONS = defineOperations({
  uploadAsset: {
    operationId: "uploadAsset", method: "post", path: "/v1/assets/upload", tag: "Assets",
    summary: "Upload a new asset",
    description: "Streams the file: size limits apply while it arrives, then it is identified from its bytes, scanned and checked whole before the asset exists. The asset is `processing` until its derivatives are made.",
    multipart: AssetUploadForm,
    answers: { 201: ok("The new asset", UploadedAsset), 200: ok("on_duplicate=link: the asset you already had with these bytes", UploadedAsset) },
    errors: ["NOT_FOUND", "DUPLICATE_ASSET", "FILE_TOO_LARGE", "INVALID_FILE_TYPE", "MIME_MISMATCH", "INCOMPLETE_UPLOAD", "SECURITY_VIOLATION", "INSUFFICIENT_STORAGE"],
  },
  searchAssets: {
    operationId: "searchAssets", method: "get", path: "/v1/assets", tag: "Assets",
    summary: "Search and browse assets",
    description: "A page of the caller's assets with the total and the type and folder facets of the whole match set; follow `next_cursor` for the next page.",
    query: SearchQuery,
    answers: { 200: ok("A page of matches", SearchResult) },
    errors: ["NOT_FOUND"],
  },
  searchAssetsWithBody: {
    operationId: "searchAssetsWithBody", method: "post", path: "/v1/assets/search", tag: "Assets",
    summary: "Search with a JSON body",
    body: SearchBody,
    answers: { 200: ok("A page of matches", SearchResult) },
    errors: ["NOT_FOUND"],
  },
  getStats: {
    operationId: "getStats", method: "get", path: "/v1/assets/stats", tag: "Assets",
    summary: "Usage statistics",
    answers: { 200: ok("Totals, references by resource and usage type, the most used assets and recent uses", Stats) },
    errors: [],
  },
  getAsset: {
    operationId: "getAsset", method: "get", path: "/v1/assets/{id}", tag: "Assets",
    summary: "One asset", params: AssetParams,
    answers: { 200: ok("The asset", Asset) },
    errors: ["NOT_FOUND"],
  },
  getSimilarAssets: {
    operationId: "getSimilarAssets", method: "get", path: "/v1/assets/{id}/similar", tag: "Assets",
    summary: "Near-duplicates of an asset's picture, nearest first",
    description: "The caller's assets whose perceptual hash (visual.perceptual_hash) lies within max_distance bits of this one's: resized, re-encoded or slightly cropped copies. Empty while the asset is processing or has no picture.",
    params: AssetParams, query: SimilarQuery,
    answers: { 200: ok("The near-duplicates with their distance", SimilarList) },
    errors: ["NOT_FOUND"],
  },
  updateAsset: {
    operationId: "updateAsset", method: "put", path: "/v1/assets/{id}", tag: "Assets",
    summary: "Rename, describe or move an asset", params: AssetParams, body: AssetChange,
    answers: { 200: ok("The changed asset", Asset) },
    errors: ["NOT_FOUND"],
  },
  deleteAsset: {
    operationId: "deleteAsset", method: "delete", path: "/v1/assets/{id}", tag: "Assets",
    summary: "Soft-delete an asset",
    description: "A referenced asset is ASSET_IN_USE unless `force=true`, which removes its references too. It can be restored until it is purged.",
    params: AssetParams, query: ForceQuery,
    answers: { 200: ok("The deleted asset", Asset) },
    errors: ["NOT_FOUND", "ASSET_IN_USE"],
  },
  downloadAsset: {
    operationId: "downloadAsset", method: "get", path: "/v1/assets/{id}/download", tag: "Files",
    summary: "Download the current file", params: AssetParams,
    answers: FILE_ANSWERS,
    errors: ["NOT_FOUND"],
  },
  getAssetDerivative: {
    operationId: "getAssetDerivative", method: "get", path: "/v1/assets/{id}/derivatives/{kind}", tag: "Files",
    summary: "A derivative of the current version", params: AssetDerivativeParams,
    answers: FILE_ANSWERS,
    errors: ["NOT_FOUND"],
  },
  restoreAsset: {
    operationId: "restoreAsset", method: "post", path: "/v1/assets/{id}/restore", tag: "Assets",
    summary: "Bring back a soft-deleted asset", params: AssetParams,
    answers: { 200: ok("The restored asset", Asset) },
    errors: ["NOT_FOUND"],
  },
  getAssetUrls: {
    operationId: "getAssetUrls", method: "get", path: "/v1/assets/{id}/urls", tag: "Files",
    summary: "Fresh permanent and signed URLs", params: AssetParams, query: ExpiresQuery,
    answers: { 200: ok("The URLs, each signed one with its expiry", SignedUrls) },
    errors: ["NOT_FOUND"],
  },
  listAssetReferences: {
    operationId: "listAssetReferences", method: "get", path: "/v1/assets/{id}/references", tag: "References",
    summary: "Where an asset is used", params: AssetParams,
    answers: { 200: ok("Its references", ReferenceList) },
    errors: ["NOT_FOUND"],
  },
});

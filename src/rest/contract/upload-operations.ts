import { FILE_ANSWERS } from "./asset-operations";
import { defineOperations, type Answer } from "./operation";
import { SignedFileParams, SignedFileQuery, UploadParams } from "./requests";
import { ResumableUpload } from "./schemas";
import { z } from "./zod";

const tusVersion = { description: "The tus protocol version", schema: z.literal("1.0.0") };
const offset = { description: "Bytes received so far", schema: z.string().regex(/^[0-9]+$/) };
const discovery: Record<number, Answer> = {
  204: {
    description: "What the server supports",
    headers: {
      "Tus-Version": { description: "Supported versions", schema: z.string() },
      "Tus-Extension": { description: "creation, creation-with-upload, termination, expiration, checksum", schema: z.string() },
      "Tus-Max-Size": { description: "The largest upload, in bytes", schema: z.string() },
      "Tus-Checksum-Algorithm": { description: "sha256", schema: z.string() },
    },
  },
};
/** tus answers a request without a supported Tus-Resumable version itself, in plain text. */
const unsupportedVersion: Answer = { description: "Tus-Resumable is missing or names a version this server does not speak", text: true };
const TusRequest = z.object({ "Tus-Resumable": z.literal("1.0.0").openapi({ description: "The tus protocol version" }) });

/** Resumable uploads (tus 1.0), signed file URLs and the API's own description. */
export const UPLOAD_OPERATIONS = defineOperations({
  discoverUploads: {
    operationId: "discoverUploads", method: "options", path: "/v1/uploads", tag: "Resumable uploads", public: true,
    summary: "tus discovery: versions, extensions, maximum size, checksum algorithms",
    answers: discovery, errors: [],
  },
  createUpload: {
    operationId: "createUpload", method: "post", path: "/v1/uploads", tag: "Resumable uploads",
    summary: "Begin a resumable upload (tus creation, creation-with-upload)",
    description: "Upload-Length is required and checked against the type's limit. Upload-Metadata carries `filename` and the multipart upload's fields (name, description, asset_type, folder_id, tags, on_duplicate, find_similar), or `asset_id` and `change_description` for a new version. The fields are checked now, before any byte is sent.",
    headers: TusRequest.extend({
      "Upload-Length": z.string().regex(/^[0-9]+$/).openapi({ description: "The file's size in bytes" }),
      "Upload-Metadata": z.string().optional().openapi({ description: "tus metadata: comma-separated `key base64(value)` pairs" }),
    }),
    answers: { 201: { description: "Created; Location is the upload's URL", headers: { Location: { description: "The upload's URL", schema: z.string() }, "Tus-Resumable": tusVersion, "Upload-Offset": offset } }, 412: unsupportedVersion },
    errors: ["VALIDATION_FAILED", "NOT_FOUND", "FILE_TOO_LARGE", "INVALID_FILE_TYPE"],
  },
  discoverUpload: {
    operationId: "discoverUpload", method: "options", path: "/v1/uploads/{id}", tag: "Resumable uploads", public: true,
    summary: "tus discovery", params: UploadParams,
    answers: discovery, errors: [],
  },
  getUploadOffset: {
    operationId: "getUploadOffset", method: "head", path: "/v1/uploads/{id}", tag: "Resumable uploads",
    summary: "How many bytes have arrived (tus HEAD)", params: UploadParams, headers: TusRequest,
    answers: { 200: { description: "Upload-Offset and Upload-Length", headers: { "Tus-Resumable": tusVersion, "Upload-Offset": offset, "Upload-Length": { description: "The declared size", schema: z.string() } } }, 412: unsupportedVersion },
    errors: ["NOT_FOUND"],
  },
  appendUpload: {
    operationId: "appendUpload", method: "patch", path: "/v1/uploads/{id}", tag: "Resumable uploads",
    summary: "Send the next bytes (tus PATCH)",
    description: "At Upload-Offset, optionally with `Upload-Checksum: sha256 <base64>`. The last chunk answers once the upload has been checked and stored; GET tells the outcome.",
    params: UploadParams,
    headers: TusRequest.extend({
      "Upload-Offset": z.string().regex(/^[0-9]+$/).openapi({ description: "Where these bytes go" }),
      "Upload-Checksum": z.string().optional().openapi({ description: "sha256 and the chunk's base64 digest" }),
    }),
    raw: { contentType: "application/offset+octet-stream", description: "The next bytes of the file" },
    answers: {
      204: { description: "Stored; the new Upload-Offset", headers: { "Tus-Resumable": tusVersion, "Upload-Offset": offset } },
      412: unsupportedVersion,
      409: { description: "Upload-Offset is not where the upload stands (tus's own answer)", text: true },
      460: { description: "The chunk does not match its Upload-Checksum; nothing of it was kept", text: true },
    },
    errors: ["NOT_FOUND", "CONFLICT", "FILE_TOO_LARGE"],
  },
  terminateUpload: {
    operationId: "terminateUpload", method: "delete", path: "/v1/uploads/{id}", tag: "Resumable uploads",
    summary: "End an upload: what arrived is removed (tus termination)", params: UploadParams, headers: TusRequest,
    answers: { 204: { description: "Ended", headers: { "Tus-Resumable": tusVersion } }, 412: unsupportedVersion },
    errors: ["NOT_FOUND", "CONFLICT"],
  },
  getUpload: {
    operationId: "getUpload", method: "get", path: "/v1/uploads/{id}", tag: "Resumable uploads",
    summary: "What became of an upload: receiving (with its offset), processing, completed (the asset) or failed (the error)",
    params: UploadParams,
    answers: { 200: { description: "The upload's state", json: ResumableUpload } },
    errors: ["NOT_FOUND"],
  },
  getSignedFile: {
    operationId: "getSignedFile", method: "get", path: "/v1/files/{asset_id}/{version}/{variant}", tag: "Files", public: true,
    summary: "A signed URL's file (no token: the signature is the authority)", params: SignedFileParams, query: SignedFileQuery,
    answers: {
      ...FILE_ANSWERS,
      302: { description: "With S3_DOWNLOAD_REDIRECT=true: the store's own presigned GET, with the same lifetime, type and file name", headers: { Location: { description: "The presigned URL", schema: z.string() } } },
    },
    errors: ["NOT_FOUND", "URL_EXPIRED", "INVALID_SIGNATURE"],
  },
  getOpenApiDocument: {
    operationId: "getOpenApiDocument", method: "get", path: "/v1/openapi.json", tag: "Meta", public: true,
    summary: "This document",
    answers: { 200: { description: "The OpenAPI 3.1 description of /v1", json: z.record(z.string(), z.unknown()) } },
    errors: [],
  },
});

import type { ZodObject, ZodType } from "zod";
import type { ErrorCode } from "../../errors";

export type Method = "get" | "post" | "put" | "delete" | "patch" | "head" | "options";

/** One answer an operation gives besides its errors. */
export interface Answer {
  description: string;
  /** A JSON body. */
  json?: ZodType;
  /** A plain-text body (what @tus/server says when it refuses a request itself). */
  text?: true;
  /** A file: its bytes in the stored file's own content type (see `FILE_TYPES`). */
  file?: true;
  /** Response headers, by name, with what they say. */
  headers?: Record<string, { description: string; schema: ZodType }>;
}

/**
 * One REST operation, defined once: the route mounts it (its path and method), validates the
 * request against it (path, query and JSON body; a multipart upload's fields as they arrive) and
 * the OpenAPI document describes it from the same schemas.
 */
export interface Operation {
  operationId: string;
  method: Method;
  /** OpenAPI form, `/v1/assets/{id}`; the route's Express path is derived from it. */
  path: string;
  summary: string;
  description?: string;
  tag: "Assets" | "Versions" | "Folders" | "Tags" | "References" | "Files" | "Resumable uploads" | "Activity" | "Webhooks" | "Meta";
  /** No bearer token: the API description, signed URLs (which carry their own authority), tus discovery. */
  public?: true;
  params?: ZodObject;
  query?: ZodObject;
  /** A JSON request body. */
  body?: ZodObject;
  /** A multipart/form-data upload: the file part and the form fields. */
  multipart?: ZodObject;
  /** A raw request body (tus PATCH) and its content type. */
  raw?: { contentType: string; description: string };
  headers?: ZodObject;
  answers: Record<number, Answer>;
  /** The API.md codes it can answer besides those every operation of its kind can (see `errorCodesOf`). */
  errors: ErrorCode[];
}

export function defineOperations<const T extends Record<string, Operation>>(operations: T): T {
  return operations;
}

/** A JSON answer. */
export const ok = (description: string, json: Answer["json"]): Answer => ({ description, json });

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import * as tus from "tus-js-client";
import { createS3Client } from "../src/assets/storage/s3-client";
import { filesUnder, type TestUser } from "./helpers";
import { testService } from "./setup";

export interface TusOptions {
  metadata: Record<string, string>;
  /** Resume this upload (its URL) instead of creating one. */
  uploadUrl?: string;
  /** Stop the upload once this share of the file has been sent (an interruption). */
  abortAt?: number;
  chunkSize?: number;
}

export interface TusResult {
  url: string;
  /** The offset the server reported when the client (re)started. */
  startedAt: number;
  aborted: boolean;
}

/** Uploads a file from disk with tus-js-client (the file is read in slices, never whole). */
export function tusUpload(baseUrl: string, user: TestUser, file: string, options: TusOptions): Promise<TusResult> {
  return new Promise((resolve, reject) => {
    let startedAt = -1;
    let url = options.uploadUrl ?? "";
    const size = fs.statSync(file).size;
    const upload = new tus.Upload(fs.createReadStream(file), {
      endpoint: `${baseUrl}/v1/uploads`,
      headers: user.auth,
      metadata: options.metadata,
      uploadSize: size,
      retryDelays: [],
      // tus-js-client takes an explicit undefined as the value (a chunk size of undefined never ends).
      ...(options.uploadUrl ? { uploadUrl: options.uploadUrl } : {}),
      ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
      onUploadUrlAvailable() {
        url = upload.url ?? url;
      },
      onAfterResponse(request, response) {
        if (startedAt >= 0) return;
        if (request.getMethod() === "HEAD") startedAt = Number(response.getHeader("Upload-Offset"));
        if (request.getMethod() === "POST") startedAt = 0;
      },
      onProgress(sent) {
        if (options.abortAt !== undefined && sent >= size * options.abortAt) {
          void upload.abort().then(() => resolve({ url, startedAt, aborted: true }), reject);
        }
      },
      onSuccess() {
        resolve({ url, startedAt, aborted: false });
      },
      onError: reject,
    });
    upload.start();
  });
}

/**
 * What the tus store still holds of an upload (by its URL or id): its files under
 * STORAGE_DIR/uploads, or its keys under `uploads/` in the bucket (the data, `.info`, `.part`).
 */
export async function tusLeftovers(upload: string): Promise<string[]> {
  const id = uploadIdOf(upload);
  const { config } = testService().runtime.services;
  if (!config.s3) return (await filesUnder(path.join(config.storageDir, "uploads"))).filter((name) => name.startsWith(id));
  const client = createS3Client(config.s3);
  const listed = await client.send(new ListObjectsV2Command({ Bucket: config.s3.bucket, Prefix: `${config.s3.prefix}uploads/${id}` }));
  client.destroy();
  return (listed.Contents ?? []).map((object) => object.Key!);
}

export function uploadIdOf(url: string): string {
  return url.slice(url.lastIndexOf("/") + 1);
}

/** The SHA-256 of an asset's download, streamed (a 200 MB file is never held whole). */
export async function downloadSha256(baseUrl: string, user: TestUser, assetId: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/assets/${assetId}/download`, { headers: user.auth });
  if (response.status !== 200) throw new Error(`download answered ${response.status}`);
  const hash = createHash("sha256");
  for await (const chunk of Readable.fromWeb(response.body as NodeReadableStream)) hash.update(chunk);
  return hash.digest("hex");
}

export function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    fs.createReadStream(file).on("data", (chunk) => hash.update(chunk)).on("error", reject).on("end", () => resolve(hash.digest("hex")));
  });
}

/** A raw tus request (for what tus-js-client never sends: bad checksums, deferred lengths…). */
export function tusRequest(user: TestUser | undefined, method: string, url: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Response> {
  return fetch(`${testService().baseUrl}${url}`, {
    method,
    headers: { "Tus-Resumable": "1.0.0", ...(user ? user.auth : {}), ...headers },
    body: body ? new Uint8Array(body) : undefined,
  });
}

export function tusMetadata(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString("base64")}`)
    .join(",");
}

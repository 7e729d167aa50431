import {
  CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, type S3Client,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { S3Config } from "../../config";
import { LocalStaging } from "./local-staging";
import { StoredFileMissing, classifyStoreError } from "./s3-client";
import type { ByteRange, PresignedDownload, StorageDriver, StreamedWrite } from "./storage-driver";

/** Files up to `singlePutMax` go in one PUT; larger ones as a multipart upload of `partSize` parts. */
export interface S3Transfer {
  singlePutMax: number;
  /** At least 5 MiB (S3's minimum for all but the last part). */
  partSize: number;
}

const TRANSFER: S3Transfer = { singlePutMax: 64 * 1024 * 1024, partSize: 8 * 1024 * 1024 };
/** Parts in flight at once: memory is bounded by partSize × this, whatever the file's size. */
const PARTS_IN_FLIGHT = 4;

/**
 * Stored files in an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO), under `prefix`; uploads
 * still stage on local disk, where media tools need a path. Every write carries its SHA-256:
 * a single PUT the whole file's, a multipart upload each part's, so the store refuses bytes that
 * changed on the way. A store that cannot be reached or fails answers SERVICE_UNAVAILABLE; a
 * failed multipart upload is aborted, so nothing half-written remains.
 */
export class S3Storage implements StorageDriver {
  readonly kind = "s3";
  private readonly staging: LocalStaging;

  constructor(
    private readonly client: S3Client,
    private readonly config: S3Config,
    stagingRoot: string,
    private readonly transfer: S3Transfer = TRANSFER,
  ) {
    this.staging = new LocalStaging(stagingRoot);
  }

  init(): Promise<string[]> {
    return this.staging.init();
  }

  async close(): Promise<void> {
    await this.staging.close();
    this.client.destroy();
  }

  stagingPath(name?: string): string {
    return this.staging.path(name);
  }

  clearStaging(prefix: string): Promise<void> {
    return this.staging.clear(prefix);
  }

  async commit(stagedPath: string, key: string): Promise<void> {
    await this.put(stagedPath, key);
    await fsp.rm(stagedPath, { force: true });
  }

  /** Writes a local file under `key`, leaving the file where it is (commit and storage migration). */
  async put(file: string, key: string): Promise<void> {
    const { size } = await fsp.stat(file);
    const Key = this.objectKey(key);
    if (size <= this.transfer.singlePutMax) {
      const checksum = await sha256Base64(fs.createReadStream(file, { highWaterMark: 1 << 20 }));
      await this.call(() =>
        this.client.send(new PutObjectCommand({ Bucket: this.config.bucket, Key, Body: fs.createReadStream(file), ContentLength: size, ChecksumSHA256: checksum })),
      );
    } else {
      await this.call(() => this.multipart(key, fs.createReadStream(file)).done());
    }
  }

  /** A multipart upload of `partSize` parts, four in flight, each with its SHA-256; aborted on failure. */
  private multipart(key: string, body: Readable): Upload {
    return new Upload({
      client: this.client,
      params: { Bucket: this.config.bucket, Key: this.objectKey(key), Body: body, ChecksumAlgorithm: "SHA256" },
      partSize: this.transfer.partSize,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
    });
  }

  /**
   * A multipart upload fed while the bytes arrive (parts of `partSize`, four in flight, each with
   * its SHA-256; a file smaller than one part goes as one PUT with the whole file's). Memory stays
   * bounded: a full queue holds the feeding stream back.
   */
  openWrite(key: string): StreamedWrite {
    // The caller feeds `stream`; the SDK reads `body`. Kept apart so that a failed transfer, which
    // the SDK may end by closing its body, reaches the caller as the store's own error.
    const stream = new PassThrough({ highWaterMark: 1 << 20 });
    const body = new PassThrough();
    stream.pipe(body);
    const upload = this.multipart(key, body);
    const finished = this.call(() => upload.done()).then(() => undefined);
    // A store that fails stops the feeding side at once (its errors surface through done()).
    stream.on("error", () => undefined);
    body.on("error", () => undefined);
    finished.catch((error: Error) => stream.destroy(error));
    return {
      stream,
      done: () => finished,
      abort: async () => {
        // The transfer is let finish rather than cancelled: a cancelled PUT may still land in the
        // store after the DELETE below. What it stored is then removed; a store that is down now
        // leaves it to the storage reconcile.
        stream.end();
        await finished.catch(() => undefined);
        await this.delete(key).catch(() => undefined);
      },
    };
  }

  async copyWithin(fromKey: string, toKey: string): Promise<void> {
    // The store computes the copy's SHA-256 itself (the source's bytes were hashed as they were read).
    const CopySource = `${this.config.bucket}/${this.objectKey(fromKey).split("/").map(encodeURIComponent).join("/")}`;
    await this.call(() => this.client.send(new CopyObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(toKey), CopySource, ChecksumAlgorithm: "SHA256" })));
  }

  /**
   * Size and, where the store keeps it for the whole object, the SHA-256 (base64) of what `key`
   * holds; undefined when nothing is there. A multipart object's checksum covers its parts, not
   * the file, so it is left out.
   */
  async describe(key: string): Promise<{ size: number; sha256?: string } | undefined> {
    try {
      const head = await this.call(() => this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key), ChecksumMode: "ENABLED" })));
      const whole = head.ChecksumSHA256 && !head.ChecksumSHA256.includes("-") && head.ChecksumType !== "COMPOSITE";
      return { size: head.ContentLength ?? 0, sha256: whole ? head.ChecksumSHA256 : undefined };
    } catch (error) {
      if (error instanceof StoredFileMissing) return undefined;
      throw error;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const object = await this.call(() =>
      this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined })),
    );
    return object.Body as Readable;
  }

  async withLocalFile<T>(key: string, use: (file: string) => Promise<T>): Promise<T> {
    const local = this.staging.path(`fetch-${randomUUID()}${path.extname(key).toLowerCase()}`);
    try {
      await pipeline(await this.read(key), fs.createWriteStream(local, { flags: "wx", mode: 0o600 }));
      return await use(local);
    } finally {
      await fsp.rm(local, { force: true });
    }
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    const there = await this.describe(key);
    return there && { size: there.size };
  }

  async delete(key: string): Promise<void> {
    await this.call(() => this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) })));
  }

  async *list(): AsyncIterable<{ key: string; modifiedAt: Date }> {
    const pages = paginateListObjectsV2({ client: this.client }, { Bucket: this.config.bucket, Prefix: `${this.config.prefix}assets/` });
    const iterator = pages[Symbol.asyncIterator]();
    for (;;) {
      const page = await this.call(() => iterator.next());
      if (page.done) return;
      for (const object of page.value.Contents ?? []) {
        if (object.Key) yield { key: object.Key.slice(this.config.prefix.length), modifiedAt: object.LastModified ?? new Date(0) };
      }
    }
  }

  async check(): Promise<"ok" | "full"> {
    await this.staging.checkWritable();
    await this.call(() => this.client.send(new HeadBucketCommand({ Bucket: this.config.bucket })));
    return "ok";
  }

  presignedDownload(key: string, options: PresignedDownload): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.config.bucket,
      Key: this.objectKey(key),
      ResponseContentType: options.contentType,
      ResponseContentDisposition: options.contentDisposition,
    });
    return getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
  }

  private objectKey(key: string): string {
    return `${this.config.prefix}${key}`;
  }

  /** Runs one call to the store, telling a missing object, and a store that is down, from other failures. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw classifyStoreError(error);
    }
  }
}

/** The SHA-256 of everything `bytes` yields, base64 (as S3's checksum headers carry it). */
export async function sha256Base64(bytes: AsyncIterable<unknown>): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of bytes) hash.update(chunk as Buffer);
  return hash.digest("base64");
}

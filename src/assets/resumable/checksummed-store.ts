import { createHash, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import { DataStore, type Upload } from "@tus/utils";
import { currentChunkChecksum } from "./chunk-checksum";

/** What the tus stores (@tus/file-store, @tus/s3-store) offer beyond DataStore's declared methods. */
export interface ReadableDataStore extends DataStore {
  read(id: string): Readable | Promise<Readable>;
}

/** The status the tus checksum extension answers when a chunk's bytes do not match its checksum. */
export const CHECKSUM_MISMATCH = { status_code: 460, body: "Checksum Mismatch\n" };

/**
 * A tus store with the checksum extension. A chunk that comes with a checksum is spooled to a
 * staging file while it is hashed, and reaches the store only if the digest matches, so a
 * mismatching (or cut-off) chunk never changes the upload's offset: the client resends it. A chunk
 * without one goes straight to the store.
 */
export class ChecksummedStore extends DataStore {
  constructor(
    readonly inner: ReadableDataStore,
    private readonly spoolPath: () => string,
  ) {
    super();
    this.extensions = [...inner.extensions, "checksum"];
  }

  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    const expected = currentChunkChecksum();
    if (!expected) return this.inner.write(stream, id, offset);
    const spool = this.spoolPath();
    try {
      const hash = createHash(expected.algorithm);
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(stream, hashing, fs.createWriteStream(spool));
      const digest = hash.digest();
      if (!timingSafeEqual(digest, expected.digest)) throw CHECKSUM_MISMATCH;
      return await this.inner.write(fs.createReadStream(spool), id, offset);
    } finally {
      await fsp.rm(spool, { force: true });
    }
  }

  read(id: string): Promise<Readable> {
    return Promise.resolve(this.inner.read(id));
  }

  override create(upload: Upload): Promise<Upload> {
    return this.inner.create(upload);
  }

  override remove(id: string): Promise<void> {
    return this.inner.remove(id);
  }

  override getUpload(id: string): Promise<Upload> {
    return this.inner.getUpload(id);
  }

  override declareUploadLength(id: string, length: number): Promise<void> {
    return this.inner.declareUploadLength(id, length);
  }

  override deleteExpired(): Promise<number> {
    return this.inner.deleteExpired();
  }

  override getExpiration(): number {
    return this.inner.getExpiration();
  }
}

import type { Readable } from "node:stream";

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

/**
 * Where asset files live. Uploads are always staged in a local temporary file (media tools need a
 * path); `commit` then makes the staged file durable under its key.
 */
export interface StorageDriver {
  /** A fresh path in the local staging directory; the caller owns the file and must remove it. */
  stagingPath(): string;
  /** Moves a fully written, fsynced staged file to `key`; after it returns the file is durable. */
  commit(stagedPath: string, key: string): Promise<void>;
  read(key: string, range?: ByteRange): Promise<Readable>;
  stat(key: string): Promise<{ size: number } | undefined>;
  /** Removes the file; a missing file is not an error. */
  delete(key: string): Promise<void>;
}

import type { Readable, Writable } from "node:stream";

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
  readonly kind: "local" | "s3";
  /** Prepares staging (and removes what processes that are gone left there); returns what it removed. */
  init(): Promise<string[]>;
  /** Removes this process's staging at a clean shutdown. */
  close(): Promise<void>;
  /**
   * A path in the local staging directory: fresh when no name is given, else the named one (a
   * job that may be retried uses fixed names so a retry overwrites, never piles up). The caller
   * owns the file and must remove it.
   */
  stagingPath(name?: string): string;
  /** Removes staged files whose names start with `prefix` (what a killed attempt left). */
  clearStaging(prefix: string): Promise<void>;
  /** Moves a fully written, fsynced staged file to `key`; after it returns the file is durable. */
  commit(stagedPath: string, key: string): Promise<void>;
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Runs `use` with a local path holding the file (media tools need one), cleaning up after. */
  withLocalFile<T>(key: string, use: (file: string) => Promise<T>): Promise<T>;
  stat(key: string): Promise<{ size: number } | undefined>;
  /** Removes the file; a missing file is not an error. */
  delete(key: string): Promise<void>;
  /** Every stored file (not staging), in no particular order, with when it was last written. */
  list(): AsyncIterable<{ key: string; modifiedAt: Date }>;
  /** For readiness probes: "full" when a new upload could not be stored; throws when storage cannot be used at all. */
  check(): Promise<"ok" | "full">;
  /**
   * A URL the store itself serves the file from until `expiresInSeconds` pass, with the given
   * headers; only stores that can sign their own URLs (S3) have it.
   */
  presignedDownload?(key: string, options: PresignedDownload): Promise<string>;
  /**
   * Starts storing a file under `key` while its bytes still arrive, so a remote store's transfer
   * overlaps the upload's own; only stores where a commit is a transfer (S3) have it.
   */
  openWrite?(key: string): StreamedWrite;
  /**
   * Copies what `fromKey` holds to `toKey` inside the store, its bytes never passing through this
   * process; only stores where that saves a transfer (S3) have it.
   */
  copyWithin?(fromKey: string, toKey: string): Promise<void>;
}

/** A file being written under its key while its bytes arrive (see `StorageDriver.openWrite`). */
export interface StreamedWrite {
  /** Feed it the file's bytes in order, then end it. */
  readonly stream: Writable;
  /** Resolves once the whole file is stored (after `stream` ended). */
  done(): Promise<void>;
  /** Stops the write and removes whatever of it was stored. */
  abort(): Promise<void>;
}

export interface PresignedDownload {
  expiresInSeconds: number;
  contentType: string;
  contentDisposition: string;
}

import path from "node:path";
import type { Config, S3Config } from "../../config";
import { LocalDiskStorage } from "./local-driver";
import { createS3Client } from "./s3-client";
import { S3Storage } from "./s3-driver";
import type { StorageDriver } from "./storage-driver";

/** The storage driver the configuration names; staging is local (`STORAGE_DIR/tmp`) either way. */
export function openStorage(config: Pick<Config, "storageDir" | "s3">): StorageDriver {
  if (config.s3) return openS3Storage(config.s3, config.storageDir);
  return new LocalDiskStorage(config.storageDir);
}

/** The bucket `s3` names, staging under `storageDir/tmp` (also the target of `npm run storage -- migrate`). */
export function openS3Storage(s3: S3Config, storageDir: string): S3Storage {
  return new S3Storage(createS3Client(s3), s3, path.join(storageDir, "tmp"));
}

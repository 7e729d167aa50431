import path from "node:path";
import type { Config } from "../../config";
import { LocalDiskStorage } from "./local-driver";
import { S3Storage, createS3Client } from "./s3-driver";
import type { StorageDriver } from "./storage-driver";

/** The storage driver the configuration names; staging is local (`STORAGE_DIR/tmp`) either way. */
export function openStorage(config: Pick<Config, "storageDir" | "s3">): StorageDriver {
  if (config.s3) return new S3Storage(createS3Client(config.s3), config.s3, path.join(config.storageDir, "tmp"));
  return new LocalDiskStorage(config.storageDir);
}

import { toAppError } from "../../errors";
import type { StorageDriver } from "../storage/storage-driver";
import type { InspectedUpload } from "./upload-pipeline";

/**
 * Where an upload's file is to be stored under `key`. `copyFrom`: the bytes are already in the
 * store (a finished resumable upload) and the store can copy within itself, so nothing is written
 * while they are read; else `storeAs`: the file is written while it arrives where the store can
 * (S3), or committed from staging once its checks pass.
 */
export function fileDestination(storage: StorageDriver, key: string, storedAt: string | undefined): { copyFrom?: string; storeAs?: string } {
  return storedAt !== undefined && storage.copyWithin ? { copyFrom: storedAt } : { storeAs: key };
}

/**
 * Stores a checked upload's file under `key`, unless it was written there while it arrived;
 * returns whether it stored it now (the caller then removes it should the rows not commit).
 */
export async function storeCheckedFile(storage: StorageDriver, upload: InspectedUpload, key: string, copyFrom: string | undefined): Promise<boolean> {
  if (copyFrom) await storage.copyWithin!(copyFrom, key);
  else if (!upload.storedAs) await storage.commit(upload.stagedPath, key);
  else return false;
  return true;
}

/**
 * The stored files of an upload whose transaction failed go, unless the database's answer was
 * lost (a timeout or a dropped connection during COMMIT): then the rows may have committed after
 * all, and deleting the files could lose an acknowledged write. Such files are left to the storage
 * reconcile, which removes them after its grace period only if no row names them.
 */
export async function removeUncommittedFiles(storage: StorageDriver, keys: string[], error: unknown): Promise<void> {
  if (toAppError(error).code === "SERVICE_UNAVAILABLE") return;
  for (const key of keys) await storage.delete(key);
}

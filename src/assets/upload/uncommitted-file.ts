import { toAppError } from "../../errors";
import type { StorageDriver } from "../storage/storage-driver";

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

import { toAppError } from "../../errors";
import type { StorageDriver } from "../storage/storage-driver";

/**
 * The stored file of an upload whose transaction failed goes, unless the database's answer was
 * lost (a timeout or a dropped connection during COMMIT): then the rows may have committed after
 * all, and deleting the file could lose an acknowledged write. Such a file is left to the storage
 * reconcile, which removes it after its grace period only if no row names it.
 */
export async function removeUncommittedFile(storage: StorageDriver, key: string, error: unknown): Promise<void> {
  if (toAppError(error).code === "SERVICE_UNAVAILABLE") return;
  await storage.delete(key);
}

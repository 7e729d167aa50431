import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import type { StorageDriver } from "./storage/storage-driver";
import { recordActivity } from "./activity/activity.repository";
import { SYSTEM_ACTOR } from "./activity/asset-event";

/**
 * Removes soft-deleted assets once their retention has passed: every version file, every
 * derivative and every cached render, then the rows (versions, derivatives, tags and references go with the asset).
 * Files go first, inside the batch's transaction: a crash in between leaves rows whose files are
 * already gone, which the next run finishes; it never leaves files that no row points at.
 */
export class PurgeService {
  constructor(
    private readonly db: DataSource,
    private readonly storage: StorageDriver,
    private readonly log: Logger,
  ) {}

  /** Purges everything deleted more than `retentionDays` ago; returns how many assets went. */
  async purgeExpired(retentionDays: number, batchSize = 100): Promise<number> {
    let total = 0;
    for (;;) {
      const purged = await this.purgeBatch(retentionDays, batchSize);
      total += purged;
      if (purged < batchSize) break;
    }
    if (total > 0) this.log.info({ assets: total, retentionDays }, "purged deleted assets");
    return total;
  }

  private purgeBatch(retentionDays: number, batchSize: number): Promise<number> {
    return this.db.transaction(async (m) => {
      const doomed: Array<{ asset_id: string; user_id: string; name: string; checksum: string }> = await m.query(
        `SELECT asset_id, user_id, name, checksum FROM assets
          WHERE status = 'deleted' AND deleted_at < now() - make_interval(days => $1)
          ORDER BY deleted_at
          LIMIT $2
          FOR UPDATE SKIP LOCKED`,
        [retentionDays, batchSize],
      );
      if (doomed.length === 0) return 0;
      const ids = doomed.map((d) => d.asset_id);
      const files: Array<{ storage_path: string }> = await m.query(
        `SELECT storage_path FROM asset_versions WHERE asset_id = ANY($1)
          UNION SELECT storage_path FROM asset_derivatives WHERE asset_id = ANY($1)
          UNION SELECT storage_path FROM asset_renders WHERE asset_id = ANY($1)`,
        [ids],
      );
      for (const file of files) await this.storage.delete(file.storage_path);
      await m.query(`DELETE FROM assets WHERE asset_id = ANY($1)`, [ids]);
      await recordActivity(m, doomed.map((d) => ({
        userId: d.user_id, assetId: d.asset_id, folderId: null, type: "purged" as const, actor: SYSTEM_ACTOR,
        before: { name: d.name, checksum: d.checksum }, after: { retention_days: retentionDays },
      })));
      return ids.length;
    });
  }
}

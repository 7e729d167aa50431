import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import type { StorageDriver } from "./storage/storage-driver";

export interface ReconcileReport {
  /** Stored files no row named, older than the grace period, now removed. */
  orphansRemoved: number;
  /** Rows (versions and derivatives) whose file is not in storage: reported, never "fixed". */
  missing: number;
}

const BATCH = 500;
const LOCK = "asset-library:storage-reconcile";

/**
 * Compares storage with the rows that name its files. A file no row names is what a crash between
 * a file's commit and its row's left (or an answer lost in a database outage): once older than the
 * grace period, so an upload between its rename and its COMMIT is never touched, it is removed.
 * A row whose file is missing is logged for an operator; nothing is deleted for it. One process
 * at a time does this, under an advisory lock.
 */
export class StorageReconcileService {
  constructor(
    private readonly db: DataSource,
    private readonly storage: StorageDriver,
    private readonly log: Logger,
  ) {}

  async run(graceSeconds: number): Promise<ReconcileReport | undefined> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [LOCK]);
      if (!locked) return undefined;
      try {
        const report = { orphansRemoved: await this.removeOrphans(graceSeconds), missing: await this.countMissing() };
        if (report.orphansRemoved > 0 || report.missing > 0) this.log.warn(report, "storage reconciled");
        return report;
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private async removeOrphans(graceSeconds: number): Promise<number> {
    const cutoff = Date.now() - graceSeconds * 1000;
    let removed = 0;
    let batch: string[] = [];
    const flush = async () => {
      for (const key of await this.unnamed(batch)) {
        await this.storage.delete(key);
        this.log.warn({ key }, "removed a stored file no row names");
        removed++;
      }
      batch = [];
    };
    for await (const file of this.storage.list()) {
      if (file.modifiedAt.getTime() >= cutoff) continue;
      batch.push(file.key);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    return removed;
  }

  private async unnamed(keys: string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows: Array<{ key: string }> = await this.db.query(
      `SELECT k.key FROM unnest($1::text[]) AS k(key)
        WHERE NOT EXISTS (SELECT 1 FROM asset_versions v WHERE v.storage_path = k.key)
          AND NOT EXISTS (SELECT 1 FROM asset_derivatives d WHERE d.storage_path = k.key)`,
      [keys],
    );
    return rows.map((r) => r.key);
  }

  private async countMissing(): Promise<number> {
    let missing = 0;
    let after = "";
    for (;;) {
      const rows: Array<{ storage_path: string }> = await this.db.query(
        `SELECT storage_path FROM (SELECT storage_path FROM asset_versions UNION ALL SELECT storage_path FROM asset_derivatives) files
          WHERE storage_path > $1 ORDER BY storage_path LIMIT $2`,
        [after, BATCH],
      );
      for (const { storage_path: key } of rows) {
        if (!(await this.storage.stat(key))) {
          missing++;
          this.log.error({ key }, "a row names a stored file that is missing");
        }
      }
      if (rows.length < BATCH) return missing;
      after = rows[rows.length - 1].storage_path;
    }
  }
}

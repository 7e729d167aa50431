import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import type { StorageDriver } from "./storage/storage-driver";

export interface ReconcileReport {
  /** Stored files no row names, older than the grace period. */
  orphans: number;
  /** How many of them were removed (all, with `fix`; none in a report-only run). */
  orphansRemoved: number;
  /** Rows (versions and derivatives) whose file is not in storage: reported, never "fixed". */
  missing: number;
  /** The first keys of each kind, for an operator to look at. */
  orphanKeys: string[];
  missingKeys: string[];
}

/** How many keys of each kind a report lists (the counts are always complete). */
const LISTED_KEYS = 100;

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

  /** With `fix` (what the workers' periodic run does) orphans are removed; without, only reported. */
  async run(graceSeconds: number, options: { fix: boolean } = { fix: true }): Promise<ReconcileReport | undefined> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [LOCK]);
      if (!locked) return undefined;
      try {
        const orphans = await this.findOrphans(graceSeconds, options.fix);
        const missing = await this.findMissing();
        const report: ReconcileReport = { ...orphans, ...missing };
        if (report.orphans > 0 || report.missing > 0) this.log.warn({ orphans: report.orphans, orphansRemoved: report.orphansRemoved, missing: report.missing }, "storage reconciled");
        return report;
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private async findOrphans(graceSeconds: number, fix: boolean): Promise<Pick<ReconcileReport, "orphans" | "orphansRemoved" | "orphanKeys">> {
    const cutoff = Date.now() - graceSeconds * 1000;
    const found = { orphans: 0, orphansRemoved: 0, orphanKeys: [] as string[] };
    let batch: string[] = [];
    const flush = async () => {
      for (const key of await this.unnamed(batch)) {
        found.orphans++;
        if (found.orphanKeys.length < LISTED_KEYS) found.orphanKeys.push(key);
        if (!fix) continue;
        await this.storage.delete(key);
        this.log.warn({ key }, "removed a stored file no row names");
        found.orphansRemoved++;
      }
      batch = [];
    };
    for await (const file of this.storage.list()) {
      if (file.modifiedAt.getTime() >= cutoff) continue;
      batch.push(file.key);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    return found;
  }

  private async unnamed(keys: string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows: Array<{ key: string }> = await this.db.query(
      `SELECT k.key FROM unnest($1::text[]) AS k(key)
        WHERE NOT EXISTS (SELECT 1 FROM asset_versions v WHERE v.storage_path = k.key)
          AND NOT EXISTS (SELECT 1 FROM asset_derivatives d WHERE d.storage_path = k.key)
          AND NOT EXISTS (SELECT 1 FROM asset_renders r WHERE r.storage_path = k.key)`,
      [keys],
    );
    return rows.map((r) => r.key);
  }

  private async findMissing(): Promise<Pick<ReconcileReport, "missing" | "missingKeys">> {
    const found = { missing: 0, missingKeys: [] as string[] };
    let after = "";
    for (;;) {
      const rows: Array<{ storage_path: string }> = await this.db.query(
        `SELECT storage_path FROM (SELECT storage_path FROM asset_versions UNION ALL SELECT storage_path FROM asset_derivatives) files
          WHERE storage_path > $1 ORDER BY storage_path LIMIT $2`,
        [after, BATCH],
      );
      for (const { storage_path: key } of rows) {
        if (!(await this.storage.stat(key))) {
          found.missing++;
          if (found.missingKeys.length < LISTED_KEYS) found.missingKeys.push(key);
          this.log.error({ key }, "a row names a stored file that is missing");
        }
      }
      if (rows.length < BATCH) return found;
      after = rows[rows.length - 1].storage_path;
    }
  }
}

import type { DataSource } from "typeorm";
import { DERIVATIVES_QUEUE, type JobQueue } from "./queue";

/**
 * Re-queues assets left `processing` with no live job (a job that exhausted its retries while its
 * worker kept dying, or one lost with a database restored from backup). One process at a time does
 * this, under an advisory lock, and each found asset is enqueued in the same transaction.
 */
export async function requeueOrphans(db: DataSource, queue: JobQueue): Promise<number> {
  return db.transaction(async (m) => {
    const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock(hashtext('asset-library:requeue-orphans')) AS locked`);
    if (!locked) return 0;
    const orphans: Array<{ asset_id: string; current_version: number }> = await m.query(
      `SELECT a.asset_id, a.current_version
         FROM assets a
        WHERE a.status = 'processing'
          AND NOT EXISTS (
            SELECT 1 FROM pgboss.job j
             WHERE j.name = $1
               AND j.state IN ('created', 'retry', 'active')
               AND j.data->>'assetId' = a.asset_id::text
               AND (j.data->>'versionNumber')::int = a.current_version)
        LIMIT 1000`,
      [DERIVATIVES_QUEUE],
    );
    for (const orphan of orphans) {
      await queue.enqueueDerivatives(m, { assetId: orphan.asset_id, versionNumber: orphan.current_version });
    }
    return orphans.length;
  });
}

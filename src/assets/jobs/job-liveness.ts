import type { DataSource } from "typeorm";
import { DERIVATIVES_QUEUE, type JobQueue } from "./queue";

/**
 * How the queue learns, within a reconcile interval rather than a 15-minute expiry, that a job's
 * worker died: a worker holds a session-level advisory lock named for the job while it runs it,
 * and PostgreSQL drops that lock the moment the worker's connection closes (a killed process's
 * socket closes with it). An active job whose lock anyone can take has no worker.
 */
const LOCK_CLASS = "asset-library:job";

/** A job is left alone this long after it starts, so a worker between claiming it and locking it is not taken for dead. */
const STARTUP_GRACE_SECONDS = 5;

export async function whileHoldingJobLock<T>(db: DataSource, jobId: string, work: () => Promise<T>): Promise<T> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext($1), hashtext($2))`, [LOCK_CLASS, jobId]);
    return await work();
  } finally {
    await runner.query(`SELECT pg_advisory_unlock(hashtext($1), hashtext($2))`, [LOCK_CLASS, jobId]).catch(() => undefined);
    await runner.release();
  }
}

/** Fails (so pg-boss retries, with its backoff) every active derivative job whose worker is gone. */
export async function failAbandonedJobs(db: DataSource, queue: JobQueue): Promise<number> {
  // The probe locks are transaction-scoped: taken and released within this one statement's
  // transaction, so a live worker's lock makes its job's probe false and nothing is held after.
  // OFFSET 0 keeps the probe to the active jobs the subquery found.
  const rows: Array<{ id: string }> = await db.query(
    `SELECT id FROM (
       SELECT id FROM pgboss.job WHERE name = $1 AND state = 'active' AND started_on < now() - make_interval(secs => $2) LIMIT 1000 OFFSET 0
     ) active
     WHERE pg_try_advisory_xact_lock(hashtext($3), hashtext(id::text))`,
    [DERIVATIVES_QUEUE, STARTUP_GRACE_SECONDS, LOCK_CLASS],
  );
  const abandoned = rows.map((r) => r.id);
  if (abandoned.length > 0) await queue.failAbandoned(abandoned);
  return abandoned.length;
}

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
  const active: Array<{ id: string }> = await db.query(
    `SELECT id FROM pgboss.job WHERE name = $1 AND state = 'active' AND started_on < now() - make_interval(secs => $2) LIMIT 1000`,
    [DERIVATIVES_QUEUE, STARTUP_GRACE_SECONDS],
  );
  const abandoned: string[] = [];
  for (const { id } of active) {
    // Taken and released at once inside its own transaction; a live worker's lock makes this false.
    const free = await db.transaction(async (m) => {
      const [{ free }] = await m.query(`SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS free`, [LOCK_CLASS, id]);
      return free as boolean;
    });
    if (free) abandoned.push(id);
  }
  if (abandoned.length > 0) await queue.failAbandoned(abandoned);
  return abandoned.length;
}

import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import type { PurgeService } from "../purge.service";
import type { StorageReconcileService } from "../storage-reconcile.service";
import type { DerivativeProcessor } from "./derivatives.job";
import type { JobQueue } from "./queue";
import type { WebhookDispatcher } from "../webhooks/webhook-dispatcher";
import type { WebhookSender } from "../webhooks/webhook-sender";
import { removeExpiredActivity } from "../activity/activity.repository";
import { failAbandonedJobs, whileHoldingJobLock } from "./job-liveness";
import { requeueOrphans } from "./reconcile";

export interface WorkerHost {
  /** Stops taking jobs (running ones finish); `resume` starts again. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs derivative and webhook workers and the webhook dispatcher in this process and, now and then, retries jobs whose worker died,
 * re-queues orphaned work and compares storage with the rows.
 */
export async function startWorkers(
  options: {
    concurrency: number;
    webhookConcurrency: number;
    reconcileIntervalSeconds: number;
    purgeRetentionDays: number;
    activityRetentionDays: number;
    storageReconcile: { intervalSeconds: number; graceSeconds: number };
  },
  deps: { db: DataSource; queue: JobQueue; processor: DerivativeProcessor; sender: WebhookSender; dispatcher: WebhookDispatcher; purge: PurgeService; storageReconcile: StorageReconcileService; log: Logger },
): Promise<WorkerHost> {
  const reconcile = async () => {
    try {
      const abandoned = await failAbandonedJobs(deps.db, deps.queue);
      if (abandoned > 0) deps.log.warn({ count: abandoned }, "failed jobs whose worker stopped, for retry");
      const count = await requeueOrphans(deps.db, deps.queue);
      if (count > 0) deps.log.warn({ count }, "re-queued assets whose processing job was lost");
    } catch (error) {
      deps.log.error({ err: error }, "re-queueing orphaned assets failed");
    }
  };
  const work = async () => {
    deps.dispatcher.start();
    await deps.queue.work(options.concurrency, (job) => whileHoldingJobLock(deps.db, job.id, () => deps.processor.handle(job)));
    await deps.queue.workWebhooks(options.webhookConcurrency, (job) => deps.sender.handle(job));
    await deps.queue.workPurge(async () => {
      await deps.purge.purgeExpired(options.purgeRetentionDays);
      const expired = await removeExpiredActivity(deps.db, options.activityRetentionDays);
      if (expired > 0) deps.log.info({ entries: expired, retentionDays: options.activityRetentionDays }, "removed expired activity");
    });
  };
  const reconcileStorage = async () => {
    try {
      await deps.storageReconcile.run(options.storageReconcile.graceSeconds);
    } catch (error) {
      deps.log.error({ err: error }, "storage reconcile failed");
    }
  };
  await reconcile();
  await work();
  void reconcileStorage();
  const timers = [
    setInterval(reconcile, options.reconcileIntervalSeconds * 1000),
    setInterval(reconcileStorage, options.storageReconcile.intervalSeconds * 1000),
  ];
  for (const timer of timers) timer.unref();
  return {
    async pause() {
      await deps.dispatcher.stop();
      await deps.queue.stopWorking();
    },
    resume: work,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await deps.dispatcher.stop();
      await deps.queue.stopWorking();
    },
  };
}

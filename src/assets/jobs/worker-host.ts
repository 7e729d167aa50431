import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import type { PurgeService } from "../purge.service";
import type { DerivativeProcessor } from "./derivatives.job";
import type { JobQueue } from "./queue";
import { requeueOrphans } from "./reconcile";

export interface WorkerHost {
  /** Stops taking jobs (running ones finish); `resume` starts again. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** Runs derivative workers in this process and, now and then, re-queues orphaned work. */
export async function startWorkers(
  options: { concurrency: number; reconcileIntervalSeconds: number; purgeRetentionDays: number },
  deps: { db: DataSource; queue: JobQueue; processor: DerivativeProcessor; purge: PurgeService; log: Logger },
): Promise<WorkerHost> {
  const reconcile = async () => {
    try {
      const count = await requeueOrphans(deps.db, deps.queue);
      if (count > 0) deps.log.warn({ count }, "re-queued assets whose processing job was lost");
    } catch (error) {
      deps.log.error({ err: error }, "re-queueing orphaned assets failed");
    }
  };
  const work = async () => {
    await deps.queue.work(options.concurrency, (job) => deps.processor.handle(job));
    await deps.queue.workPurge(async () => {
      await deps.purge.purgeExpired(options.purgeRetentionDays);
    });
  };
  await reconcile();
  await work();
  const timer = setInterval(reconcile, options.reconcileIntervalSeconds * 1000);
  timer.unref();
  return {
    pause: () => deps.queue.stopWorking(),
    resume: work,
    async stop() {
      clearInterval(timer);
      await deps.queue.stopWorking();
    },
  };
}

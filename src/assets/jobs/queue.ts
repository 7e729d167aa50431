import PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { EntityManager } from "typeorm";
import { pgTimeouts, type DatabaseTimeouts } from "../../db/data-source";

export const DERIVATIVES_QUEUE = "asset-derivatives";
export const PURGE_QUEUE = "asset-purge";
export const WEBHOOK_QUEUE = "webhook-deliveries";
/** Hourly, at a few minutes past, so many deployments do not all purge on the hour. */
export const PURGE_SCHEDULE = "7 * * * *";

export interface DerivativesJob {
  assetId: string;
  versionNumber: number;
}

export interface QueueOptions {
  connectionString: string;
  retryLimit: number;
  jobTimeoutSeconds: number;
  maintenanceIntervalSeconds: number;
  /** The service's database bounds; maintenance statements get at least 30 s. */
  timeouts: DatabaseTimeouts;
  /** Webhook deliveries: attempts in all, the first retry's delay (doubling after), one attempt's bound. */
  webhooks: { maxAttempts: number; retryDelaySeconds: number; timeoutMs: number };
}

export interface WebhookJob {
  deliveryId: string;
}

export type WebhookHandler = (job: PgBoss.JobWithMetadata<WebhookJob>) => Promise<void>;

/** The retry settings a job carries (pg-boss's per-queue ones are shared by all nodes: the last to start wins). */
type RetryPolicy = Pick<PgBoss.JobInsert, "retryLimit" | "retryDelay" | "retryBackoff" | "expireInSeconds">;

export type JobHandler = (job: PgBoss.JobWithMetadata<DerivativesJob>) => Promise<void>;

/**
 * The job queue: pg-boss on the service's own PostgreSQL, so no other server is needed and any
 * number of processes on any number of machines share the work (jobs are claimed with SKIP LOCKED).
 * A job whose worker died stays active until it expires (`jobTimeoutSeconds`), then is retried.
 */
export class JobQueue {
  /** Each queue's workers in this process that are between jobs (the ones a nudge wakes). */
  private readonly idleWorkers = new Map<string, Set<string>>();

  private constructor(
    private readonly boss: PgBoss,
    private readonly log: Logger,
    private readonly retries: { derivatives: RetryPolicy; webhooks: RetryPolicy },
  ) {}

  static async start(options: QueueOptions, log: Logger): Promise<JobQueue> {
    const boss = new PgBoss({
      connectionString: options.connectionString,
      application_name: "asset-library-queue",
      ...pgTimeouts({ ...options.timeouts, queryMs: Math.max(30_000, options.timeouts.queryMs) }),
      max: 4,
      supervise: true,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
      monitorStateIntervalSeconds: Math.max(options.maintenanceIntervalSeconds, 10),
    });
    // pg-boss reports connection trouble here; without a listener an error event would crash the process.
    boss.on("error", (error) => log.error({ err: error }, "job queue error"));
    await boss.start();
    const queue = { retryLimit: options.retryLimit, retryDelay: 5, retryBackoff: true, expireInSeconds: options.jobTimeoutSeconds };
    if (await boss.getQueue(DERIVATIVES_QUEUE)) await boss.updateQueue(DERIVATIVES_QUEUE, { name: DERIVATIVES_QUEUE, ...queue });
    else await boss.createQueue(DERIVATIVES_QUEUE, { name: DERIVATIVES_QUEUE, policy: "standard", ...queue });
    // One purge at a time across all processes; pg-boss's clock monitor sends it on schedule.
    if (!(await boss.getQueue(PURGE_QUEUE))) await boss.createQueue(PURGE_QUEUE, { name: PURGE_QUEUE, policy: "singleton" });
    await boss.schedule(PURGE_QUEUE, PURGE_SCHEDULE, {});
    const webhooks = {
      name: WEBHOOK_QUEUE,
      retryLimit: options.webhooks.maxAttempts - 1,
      retryDelay: options.webhooks.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: Math.max(30, Math.ceil(options.webhooks.timeoutMs / 1000) * 3),
    };
    if (await boss.getQueue(WEBHOOK_QUEUE)) await boss.updateQueue(WEBHOOK_QUEUE, webhooks);
    else await boss.createQueue(WEBHOOK_QUEUE, { ...webhooks, policy: "standard" });
    const { name: _name, ...webhookRetries } = webhooks;
    return new JobQueue(boss, log, { derivatives: queue, webhooks: webhookRetries });
  }

  /**
   * Enqueues inside the caller's transaction: the job exists exactly when the rows that need it
   * commit. Like webhook jobs, it carries this node's retry policy.
   */
  async enqueueDerivatives(m: EntityManager, job: DerivativesJob): Promise<void> {
    await this.boss.send(DERIVATIVES_QUEUE, job, { db: transactionDb(m), ...this.retries.derivatives });
  }

  /**
   * Queues deliveries inside the caller's transaction; the job id is the delivery id, so a repeat
   * is a no-op. Each job carries this node's retry policy.
   */
  async enqueueWebhookDeliveries(m: EntityManager, deliveryIds: string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.boss.insert(deliveryIds.map((id) => ({ id, name: WEBHOOK_QUEUE, data: { deliveryId: id }, ...this.retries.webhooks })), { db: transactionDb(m) });
  }

  /** Sends webhook deliveries in this process, `concurrency` at a time. */
  async workWebhooks(concurrency: number, handler: WebhookHandler, pollingIntervalSeconds = 1): Promise<void> {
    await this.workEach<WebhookJob>(WEBHOOK_QUEUE, concurrency, handler, pollingIntervalSeconds);
  }

  /** Runs `concurrency` derivative workers in this process, one job at a time each. */
  async work(concurrency: number, handler: JobHandler, pollingIntervalSeconds = 1): Promise<void> {
    await this.workEach<DerivativesJob>(DERIVATIVES_QUEUE, concurrency, handler, pollingIntervalSeconds);
    this.log.info({ concurrency }, "derivative workers started");
  }

  /**
   * `concurrency` polling workers on one queue, one job at a time each. pg-boss waits out its
   * polling interval after every fetch, so a worker that just finished a job is woken to ask for
   * the next one at once: a queue with work in it is drained without pauses.
   */
  private async workEach<T extends object>(queue: string, concurrency: number, handler: (job: PgBoss.JobWithMetadata<T>) => Promise<void>, pollingIntervalSeconds: number): Promise<void> {
    let idle = this.idleWorkers.get(queue);
    if (!idle) this.idleWorkers.set(queue, (idle = new Set()));
    for (let i = 0; i < concurrency; i++) {
      let workerId: string | undefined;
      workerId = await this.boss.work<T>(queue, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds }, async ([job]) => {
        idle.delete(workerId!);
        try {
          await handler(job);
        } finally {
          idle.add(workerId!);
          this.boss.notifyWorker(workerId!);
        }
      });
      idle.add(workerId);
    }
  }

  /** Runs the scheduled purge in this process (pg-boss hands each scheduled run to one process). */
  async workPurge(handler: () => Promise<void>): Promise<void> {
    await this.boss.work(PURGE_QUEUE, { batchSize: 1, pollingIntervalSeconds: 30 }, handler);
  }

  /** Stops this process's workers after their current jobs; queued work waits for others or a later `work`. */
  async stopWorking(): Promise<void> {
    await this.boss.offWork(DERIVATIVES_QUEUE);
    await this.boss.offWork(PURGE_QUEUE);
    await this.boss.offWork(WEBHOOK_QUEUE);
    this.idleWorkers.clear();
  }

  /** Fails jobs whose worker died, so they are retried (or given up on) by the queue's usual rules. */
  async failAbandoned(jobIds: string[]): Promise<void> {
    for (const id of jobIds) await this.boss.fail(DERIVATIVES_QUEUE, id, { message: "the worker running this job stopped" });
  }

  /**
   * Wakes idle workers of `queue` in this process after a commit that queued `jobs` jobs, one
   * worker per job, instead of waiting for their next poll. Busy workers are left alone: each asks
   * for the next job as it finishes one. (Waking every worker of every queue on each upload cost
   * nine empty fetches per job.)
   */
  nudge(queue: typeof DERIVATIVES_QUEUE | typeof WEBHOOK_QUEUE = DERIVATIVES_QUEUE, jobs = 1): void {
    for (const id of [...(this.idleWorkers.get(queue) ?? [])].slice(0, jobs)) this.boss.notifyWorker(id);
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}

/** pg-boss's database hook, bound to a TypeORM transaction. */
function transactionDb(m: EntityManager): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => ({ rows: (await m.queryRunner!.query(text, values, true)).records }),
  };
}

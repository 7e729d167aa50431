import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import { activityJson, webhookEventType } from "../activity/activity-json";
import type { AssetEventBus } from "../activity/event-bus";
import { WEBHOOK_QUEUE, type JobQueue } from "../jobs/queue";
import { claimPendingActivity, enabledEndpointsOf, insertDeliveries, markDispatched } from "./delivery.repository";

const BATCH = 200;
/** Activity written while no event reached this node (a lost LISTEN connection) is still found this often. */
const SWEEP_INTERVAL_MS = 5_000;

/**
 * Turns committed activity into webhook deliveries: every row marked `webhook_pending` becomes
 * one delivery per matching enabled endpoint and one queued job, in a single transaction that
 * also clears the mark, so each event is queued exactly once whichever nodes run this. It wakes on
 * each event this node hears that waits for delivery, and sweeps now and then.
 */
export class WebhookDispatcher {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly queue: JobQueue,
    private readonly bus: AssetEventBus,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.unsubscribe = this.bus.onAny((event) => {
      if (event.webhookPending) this.wake();
    });
    this.timer = setInterval(() => this.wake(), SWEEP_INTERVAL_MS);
    this.timer.unref();
    this.wake();
  }

  /** Runs a pass now, or right after the one running. */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then(() => undefined)
      .catch((error) => this.log.error({ err: error }, "dispatching webhooks failed"))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Dispatches until nothing is pending; returns how many deliveries were queued. */
  async drain(): Promise<number> {
    let queued = 0;
    for (;;) {
      const { claimed, deliveries } = await this.dispatchBatch();
      queued += deliveries;
      if (claimed < BATCH) break;
    }
    if (queued > 0) this.queue.nudge(WEBHOOK_QUEUE, queued);
    return queued;
  }

  private dispatchBatch(): Promise<{ claimed: number; deliveries: number }> {
    return this.db.transaction(async (m) => {
      const activity = await claimPendingActivity(m, BATCH);
      if (activity.length === 0) return { claimed: 0, deliveries: 0 };
      const endpoints = await enabledEndpointsOf(m, [...new Set(activity.map((a) => a.userId))]);
      const rows = activity.flatMap((a) =>
        endpoints
          .filter((e) => e.userId === a.userId && (e.events.length === 0 || e.events.includes(a.type)))
          .map((e) => {
            const id = randomUUID();
            const body = JSON.stringify({ type: webhookEventType(a.type), timestamp: new Date(a.createdAt).toISOString(), data: activityJson(a) });
            return { id, endpointId: e.id, activityId: a.activityId, eventType: a.type, body };
          }),
      );
      const inserted = await insertDeliveries(m, rows);
      await this.queue.enqueueWebhookDeliveries(m, inserted);
      await markDispatched(m, activity.map((a) => a.activityId));
      return { claimed: activity.length, deliveries: inserted.length };
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

import http from "node:http";
import https from "node:https";
import type PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import { webhookDeliveryDuration } from "../../metrics";
import type { WebhookJob } from "../jobs/queue";
import { endpointFailed, finishDelivery, recordAttempt, recordSuccess, startAttempt } from "./delivery.repository";
import { signedHeaders } from "./webhook-signature";
import { guardedLookup, refusedLiteralHost } from "./webhook-target";

export interface SenderOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  disableAfterFailures: number;
}

/** What a receiver's answer may hold before the rest is dropped unread. */
const MAX_RESPONSE_BYTES = 64 * 1024;

interface Outcome {
  statusCode: number | null;
  error: string | null;
}

/**
 * Sends one delivery attempt: signs the stored body (Standard Webhooks), POSTs it with a short
 * timeout and no redirects, to an address checked at connect time, and logs the attempt. A 2xx
 * is success; anything else is thrown so pg-boss retries with backoff, until the last attempt
 * fails the delivery and counts against the endpoint.
 */
export class WebhookSender {
  constructor(
    private readonly db: DataSource,
    private readonly options: SenderOptions,
    private readonly log: Logger,
  ) {}

  async handle(job: Pick<PgBoss.JobWithMetadata<WebhookJob>, "id" | "data" | "retryCount" | "retryLimit">): Promise<void> {
    const delivery = await startAttempt(this.db.manager, job.data.deliveryId);
    // The endpoint was deleted (its deliveries with it), or this delivery already finished.
    if (!delivery) return;
    if (!delivery.enabled) {
      await finishDelivery(this.db.manager, delivery.id, "skipped");
      return;
    }
    const started = performance.now();
    const outcome = await this.post(delivery.url, signedHeaders(delivery.secret, delivery.id, Math.floor(Date.now() / 1000), delivery.body), delivery.body);
    const latencyMs = Math.round(performance.now() - started);
    const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    webhookDeliveryDuration.observe({ outcome: ok ? "delivered" : "failed" }, latencyMs / 1000);
    const lastTry = job.retryCount >= job.retryLimit;
    if (ok) {
      await recordSuccess(this.db.manager, { deliveryId: delivery.id, endpointId: delivery.endpointId, attempt: delivery.attempt, statusCode: outcome.statusCode, latencyMs });
      return;
    }
    await this.db.transaction(async (m) => {
      await recordAttempt(m, { deliveryId: delivery.id, attempt: delivery.attempt, ...outcome, latencyMs });
      if (!lastTry) return;
      await finishDelivery(m, delivery.id, "failed");
      if (await endpointFailed(m, delivery.endpointId, this.options.disableAfterFailures)) {
        this.log.warn({ endpoint: delivery.endpointId }, "webhook endpoint disabled after repeated failures");
      }
    });
    if (!lastTry) throw new Error(`webhook attempt ${delivery.attempt} failed: ${outcome.error ?? `HTTP ${outcome.statusCode}`}`);
  }

  private post(target: string, headers: Record<string, string>, body: string): Promise<Outcome> {
    const url = new URL(target);
    if (refusedLiteralHost(url, this.options.allowPrivate)) return Promise.resolve({ statusCode: null, error: "the target address is not allowed" });
    const client = url.protocol === "https:" ? https : http;
    return new Promise((resolve) => {
      let settled = false;
      const done = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const request = client.request(
        url,
        {
          method: "POST",
          headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "user-agent": "asset-library-webhooks/1" },
          lookup: guardedLookup(this.options.allowPrivate),
          agent: false,
        },
        (response) => {
          let read = 0;
          response.on("data", (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_RESPONSE_BYTES) response.destroy();
          });
          const finish = () => done({ statusCode: response.statusCode ?? null, error: null });
          response.on("end", finish);
          response.on("close", finish);
          response.on("error", finish);
        },
      );
      // The whole attempt, connect to answer, is bounded: a receiver that stalls is a failure.
      const timer = setTimeout(() => {
        request.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      request.on("error", (error) => done({ statusCode: null, error: error.message.slice(0, 300) }));
      request.end(body);
    });
  }
}

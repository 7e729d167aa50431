import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The process's Prometheus metrics, in one registry: what operators watch (request latency by
 * route, upload outcomes and bytes, derivative job durations, queue depth, the database pool),
 * beside Node's own (CPU, memory, event-loop lag, GC). Served at /metrics (src/http/metrics.ts).
 * The wire and service layers record into these; the gauges read their values when scraped.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const httpRequestDuration = new Histogram({
  name: "http_request_duration_seconds",
  help: "HTTP requests by method, route (the matched pattern, not the URL) and status",
  labelNames: ["method", "route", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [metricsRegistry],
});

export const uploadsTotal = new Counter({
  name: "asset_uploads_total",
  help: "Uploads (new assets and versions) by asset type and outcome: stored, linked, or the refusal's error code",
  labelNames: ["kind", "asset_type", "outcome"] as const,
  registers: [metricsRegistry],
});

export const uploadBytesTotal = new Counter({
  name: "asset_upload_bytes_total",
  help: "Bytes of uploads stored, by asset type",
  labelNames: ["asset_type"] as const,
  registers: [metricsRegistry],
});

export const derivativeJobDuration = new Histogram({
  name: "derivative_job_duration_seconds",
  help: "Derivative jobs (thumbnail, preview, waveform, clip of one version) by asset type and outcome",
  labelNames: ["asset_type", "outcome"] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  registers: [metricsRegistry],
});

export const renderRequestsTotal = new Counter({
  name: "asset_render_requests_total",
  help: "Transform requests by outcome: cached (served from the render cache), rendered (made now), or joined (waited for the same render already under way)",
  labelNames: ["outcome"] as const,
  registers: [metricsRegistry],
});

export const webhookDeliveryDuration = new Histogram({
  name: "webhook_attempt_duration_seconds",
  help: "Webhook delivery attempts, request to answer, by outcome",
  labelNames: ["outcome"] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/** Gauges whose value is read when scraped, from a source the runtime provides. */
export function sampledGauge<L extends string>(name: string, help: string, labelNames: readonly L[], sample: () => Promise<Array<{ labels: Record<L, string>; value: number }>>): Gauge<L> {
  return new Gauge({
    name,
    help,
    labelNames,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      // A source that fails (the database is down) leaves the gauge empty rather than failing the scrape.
      const values = await sample().catch(() => []);
      for (const { labels, value } of values) this.set(labels, value);
    },
  });
}

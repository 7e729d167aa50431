import { timingSafeEqual } from "node:crypto";
import { Router, type NextFunction, type Request, type Response } from "express";
import type { DataSource } from "typeorm";
import { DERIVATIVES_QUEUE } from "../assets/jobs/queue";
import { httpRequestDuration, metricsRegistry, sampledGauge } from "../metrics";

/**
 * Times every request into `http_request_duration_seconds`, labelled by the route pattern that
 * answered (`/v1/assets/:id`, `/graphql`), never the raw URL, so ids do not multiply the series.
 */
export function requestMetrics(req: Request, res: Response, next: NextFunction): void {
  const end = httpRequestDuration.startTimer();
  res.once("finish", () => end({ method: req.method, route: routeOf(req), status: String(res.statusCode) }));
  next();
}

function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === "string") return `${req.baseUrl}${pattern}`;
  if (Array.isArray(pattern)) return `${req.baseUrl}${pattern[0]}`;
  return req.baseUrl === "/graphql" ? "/graphql" : "unmatched";
}

/**
 * GET /metrics in Prometheus's text format, for a scraper holding METRICS_TOKEN (as a bearer
 * token); without METRICS_TOKEN the route does not exist. Its own token, not a user's: a
 * monitoring system should not hold a key to anyone's library.
 */
export function metricsRoute(token: string | undefined): Router {
  const router = Router();
  if (!token) return router;
  router.get("/metrics", async (req, res) => {
    const offered = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "");
    const expected = Buffer.from(token);
    if (offered.length !== expected.length || !timingSafeEqual(offered, expected)) {
      res.status(401).set("WWW-Authenticate", 'Bearer realm="metrics"').json({ error: { code: "UNAUTHENTICATED", message: "The metrics token is required", details: {} } });
      return;
    }
    res.set("Content-Type", metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
  return router;
}

/** The databases of this process's running runtimes, oldest first (one, outside tests). */
const databases: DataSource[] = [];

/**
 * Queue depth and database pool use, read from PostgreSQL and the pool when scraped, through the
 * oldest runtime still open; returns what the runtime calls when it closes.
 */
export function registerRuntimeGauges(db: DataSource): () => void {
  databases.push(db);
  return () => {
    databases.splice(databases.indexOf(db), 1);
  };
}

const current = () => databases.find((db) => db.isInitialized);

sampledGauge("derivative_jobs", "Derivative jobs waiting (created, retry) or running (active)", ["state"], async () => {
  const db = current();
  if (!db) return [];
  const rows: Array<{ state: string; n: number }> = await db.query(
      `SELECT s.state, count(j.id)::int AS n FROM unnest(ARRAY['created', 'retry', 'active']) AS s(state)
       LEFT JOIN pgboss.job j ON j.name = $1 AND j.state::text = s.state GROUP BY s.state`,
    [DERIVATIVES_QUEUE],
  );
  return rows.map((r) => ({ labels: { state: r.state }, value: r.n }));
});

sampledGauge("db_pool_connections", "This process's PostgreSQL pool: connections open, idle, and requests waiting for one", ["state"], async () => {
  const pool = (current()?.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } } | undefined)?.master;
  if (!pool) return [];
  return [
    { labels: { state: "open" }, value: pool.totalCount },
    { labels: { state: "idle" }, value: pool.idleCount },
    { labels: { state: "waiting" }, value: pool.waitingCount },
  ];
});

import type { EntityManager } from "typeorm";
import { notFound } from "../../errors";
import { isUuid } from "../validation";

/**
 * The SQL of webhook endpoints and their delivery logs, always within one owner's endpoints:
 * another user's endpoint id answers NOT_FOUND, as a missing one does.
 */

export interface WebhookEndpoint {
  id: string;
  userId: string;
  url: string;
  description: string | null;
  /** Activity types it wants; empty: every one. */
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  consecutiveFailures: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookAttempt {
  attempt: number;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  createdAt: Date;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  activityId: string;
  eventType: string;
  status: "pending" | "succeeded" | "failed" | "skipped";
  attempts: WebhookAttempt[];
  createdAt: Date;
  finishedAt: Date | null;
}

type Q = Pick<EntityManager, "query">;

const ENDPOINT_COLUMNS = `endpoint_id AS id, user_id AS "userId", url, description, events, enabled, disabled_reason AS "disabledReason",
  consecutive_failures AS "consecutiveFailures", created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function insertEndpoint(m: Q, row: { id: string; userId: string; url: string; description: string | null; events: string[]; secret: string }): Promise<WebhookEndpoint> {
  const [endpoint] = await m.query(
    `INSERT INTO webhook_endpoints (endpoint_id, user_id, url, description, events, secret) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${ENDPOINT_COLUMNS}`,
    [row.id, row.userId, row.url, row.description, row.events, row.secret],
  );
  return endpoint;
}

export async function countEndpoints(m: Q, userId: string): Promise<number> {
  const [{ count }] = await m.query(`SELECT count(*)::int AS count FROM webhook_endpoints WHERE user_id = $1`, [userId]);
  return count;
}

export async function listEndpoints(m: Q, userId: string): Promise<WebhookEndpoint[]> {
  return m.query(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE user_id = $1 ORDER BY created_at, endpoint_id`, [userId]);
}

/** One of the caller's endpoints, optionally locked for update. */
export async function findOwnedEndpoint(m: Q, userId: string, endpointId: string, lock = false): Promise<WebhookEndpoint> {
  if (!isUuid(endpointId)) throw notFound("Webhook");
  const [endpoint] = await m.query(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE endpoint_id = $1 AND user_id = $2${lock ? " FOR UPDATE" : ""}`,
    [endpointId.toLowerCase(), userId],
  );
  if (!endpoint) throw notFound("Webhook");
  return endpoint;
}

/** Writes the endpoint's editable fields; enabling it again clears its failure count. */
export async function saveEndpoint(m: Q, e: WebhookEndpoint): Promise<WebhookEndpoint> {
  // As a CTE the statement returns plain rows (TypeORM wraps a bare UPDATE's rows with a count).
  const [saved] = await m.query(
    `WITH saved AS (
       UPDATE webhook_endpoints SET url = $2, description = $3, events = $4, enabled = $5,
              disabled_reason = CASE WHEN $5 THEN NULL ELSE disabled_reason END,
              consecutive_failures = CASE WHEN $5 AND NOT enabled THEN 0 ELSE consecutive_failures END,
              updated_at = now()
        WHERE endpoint_id = $1 RETURNING *)
     SELECT ${ENDPOINT_COLUMNS} FROM saved`,
    [e.id, e.url, e.description, e.events, e.enabled],
  );
  return saved;
}

export async function deleteEndpoint(m: Q, endpointId: string): Promise<void> {
  await m.query(`DELETE FROM webhook_endpoints WHERE endpoint_id = $1`, [endpointId]);
}

/** One endpoint's deliveries, newest first, each with its attempts in order. */
export async function listDeliveries(m: Q, endpointId: string, options: { before?: { createdAt: string; id: string }; limit: number }): Promise<WebhookDelivery[]> {
  const rows: WebhookDelivery[] = await m.query(
    `SELECT d.delivery_id AS id, d.endpoint_id AS "endpointId", d.activity_id::text AS "activityId", d.event_type AS "eventType", d.status,
            d.created_at AS "createdAt", d.finished_at AS "finishedAt",
            coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'statusCode', a.status_code, 'error', a.error,
                                                        'latencyMs', a.latency_ms, 'createdAt', a.created_at) ORDER BY a.attempt)
                        FROM webhook_attempts a WHERE a.delivery_id = d.delivery_id), '[]') AS attempts
       FROM webhook_deliveries d
      WHERE d.endpoint_id = $1 AND ($2::timestamptz IS NULL OR (d.created_at, d.delivery_id) < ($2, $3::uuid))
      ORDER BY d.created_at DESC, d.delivery_id DESC LIMIT $4`,
    [endpointId, options.before?.createdAt ?? null, options.before?.id ?? null, options.limit],
  );
  // json_agg hands times back as text.
  for (const row of rows) for (const attempt of row.attempts) attempt.createdAt = new Date(attempt.createdAt);
  return rows;
}

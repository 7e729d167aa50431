import type { EntityManager } from "typeorm";
import { ACTIVITY_COLUMNS, toRecord, type ActivityRow } from "../activity/activity.repository";
import type { ActivityRecord } from "../activity/asset-event";

/**
 * The SQL of sending webhooks: the outbox of activity waiting to become deliveries, and each
 * delivery's attempts and outcome. Not scoped to a caller: only workers run it.
 */

type Q = Pick<EntityManager, "query">;

/** Activity rows waiting for delivery, locked so one dispatcher at a time takes each. */
export async function claimPendingActivity(m: Q, limit: number): Promise<ActivityRecord[]> {
  const rows: ActivityRow[] = await m.query(
    `SELECT ${ACTIVITY_COLUMNS} FROM asset_activity WHERE webhook_pending ORDER BY activity_id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows.map(toRecord);
}

export async function enabledEndpointsOf(m: Q, userIds: string[]): Promise<Array<{ id: string; userId: string; events: string[] }>> {
  return m.query(`SELECT endpoint_id AS id, user_id AS "userId", events FROM webhook_endpoints WHERE enabled AND user_id = ANY($1)`, [userIds]);
}

/** New deliveries; returns the ids actually inserted (an activity already delivered to an endpoint is not again). */
export async function insertDeliveries(m: Q, rows: Array<{ id: string; endpointId: string; activityId: string; eventType: string; body: string }>): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted: Array<{ delivery_id: string }> = await m.query(
    `INSERT INTO webhook_deliveries (delivery_id, endpoint_id, activity_id, event_type, body)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, endpoint_id uuid, activity_id bigint, event_type text, body text)
     ON CONFLICT (endpoint_id, activity_id) DO NOTHING
     RETURNING delivery_id`,
    [JSON.stringify(rows.map((r) => ({ id: r.id, endpoint_id: r.endpointId, activity_id: r.activityId, event_type: r.eventType, body: r.body })))],
  );
  return inserted.map((r) => r.delivery_id);
}

export async function markDispatched(m: Q, activityIds: string[]): Promise<void> {
  await m.query(`UPDATE asset_activity SET webhook_pending = false WHERE activity_id = ANY($1::bigint[])`, [activityIds]);
}

export interface DeliveryToSend {
  id: string;
  body: string;
  status: string;
  url: string;
  secret: string;
  enabled: boolean;
  endpointId: string;
}

/** The delivery with its endpoint's target and secret, counting this attempt; undefined once the endpoint is gone. */
export async function startAttempt(m: Q, deliveryId: string): Promise<(DeliveryToSend & { attempt: number }) | undefined> {
  const [row] = await m.query(
    `WITH counted AS (
       UPDATE webhook_deliveries SET attempts = attempts + 1 WHERE delivery_id = $1 AND status = 'pending' RETURNING delivery_id, endpoint_id, body, status, attempts)
     SELECT c.delivery_id AS id, c.body, c.status, c.attempts AS attempt, e.url, e.secret, e.enabled, e.endpoint_id AS "endpointId"
       FROM counted c JOIN webhook_endpoints e ON e.endpoint_id = c.endpoint_id`,
    [deliveryId],
  );
  return row;
}

export async function recordAttempt(m: Q, a: { deliveryId: string; attempt: number; statusCode: number | null; error: string | null; latencyMs: number }): Promise<void> {
  await m.query(
    `INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, latency_ms) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [a.deliveryId, a.attempt, a.statusCode, a.error, a.latencyMs],
  );
}

/** A successful attempt in one statement: logged, the delivery finished, the endpoint's failure run ended. */
export async function recordSuccess(m: Q, a: { deliveryId: string; endpointId: string; attempt: number; statusCode: number | null; latencyMs: number }): Promise<void> {
  await m.query(
    `WITH attempt AS (
       INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, latency_ms) VALUES ($1, $2, $3, NULL, $4) ON CONFLICT DO NOTHING),
     delivery AS (
       UPDATE webhook_deliveries SET status = 'succeeded', finished_at = now() WHERE delivery_id = $1)
     UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE endpoint_id = $5 AND consecutive_failures <> 0`,
    [a.deliveryId, a.attempt, a.statusCode, a.latencyMs, a.endpointId],
  );
}

export async function finishDelivery(m: Q, deliveryId: string, status: "succeeded" | "failed" | "skipped"): Promise<void> {
  await m.query(`UPDATE webhook_deliveries SET status = $2, finished_at = now() WHERE delivery_id = $1`, [deliveryId, status]);
}

/** A delivery used up its attempts: one more failure in a row, and the endpoint is disabled at the limit. Returns whether it was. */
export async function endpointFailed(m: Q, endpointId: string, disableAfter: number): Promise<boolean> {
  const [row] = await m.query(
    `WITH counted AS (
       UPDATE webhook_endpoints
          SET consecutive_failures = consecutive_failures + 1,
              enabled = enabled AND consecutive_failures + 1 < $2,
              disabled_reason = CASE WHEN enabled AND consecutive_failures + 1 >= $2
                                     THEN format('Disabled after %s deliveries in a row failed', consecutive_failures + 1) ELSE disabled_reason END
        WHERE endpoint_id = $1 RETURNING enabled)
     SELECT enabled FROM counted`,
    [endpointId, disableAfter],
  );
  return row !== undefined && !row.enabled;
}

import type { DataSource, EntityManager } from "typeorm";
import type { ActivityEntry, ActivityRecord, AssetEvent } from "./asset-event";

/** The channel every API and worker node listens on (one LISTEN connection per process). */
export const ASSET_EVENTS_CHANNEL = "asset_events";

/** NOTIFY payloads must stay under 8000 bytes; larger before/after halves are left to the audit trail. */
const MAX_PAYLOAD_BYTES = 7_500;

/**
 * Records changes inside the caller's transaction and announces them with NOTIFY, which
 * PostgreSQL delivers when (and only if) that transaction commits. A row is marked for webhook
 * delivery when its owner has an enabled endpoint that wants its type.
 */
export async function recordActivity(m: Pick<EntityManager, "query">, entries: ActivityEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const input = entries.map((e) => ({
    user_id: e.userId,
    asset_id: e.assetId,
    known_folder: e.folderId !== undefined,
    folder_id: e.folderId ?? null,
    type: e.type,
    actor: e.actor ?? e.userId,
    request_id: e.requestId ?? null,
    version_number: e.versionNumber ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
  }));
  const rows: ActivityRow[] = await m.query(
    `INSERT INTO asset_activity (user_id, asset_id, folder_id, type, actor, request_id, version_number, before, after, webhook_pending)
     SELECT i.user_id, i.asset_id,
            CASE WHEN i.known_folder THEN i.folder_id ELSE (SELECT a.folder_id FROM assets a WHERE a.asset_id = i.asset_id) END,
            i.type, i.actor, i.request_id, i.version_number, i.before, i.after,
            EXISTS (SELECT 1 FROM webhook_endpoints w
                     WHERE w.user_id = i.user_id AND w.enabled AND (cardinality(w.events) = 0 OR i.type = ANY (w.events)))
       FROM jsonb_to_recordset($1::jsonb) AS i(user_id uuid, asset_id uuid, known_folder boolean, folder_id uuid, type text,
                                               actor text, request_id text, version_number integer, before jsonb, after jsonb)
     RETURNING ${ACTIVITY_COLUMNS}, webhook_pending`,
    [JSON.stringify(input)],
  );
  const payloads = rows.map((r) => eventPayload({ ...eventOf(toRecord(r)), webhookPending: r.webhook_pending }));
  await m.query(`SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload`, [ASSET_EVENTS_CHANNEL, payloads]);
}

/** Progress: announced at once (no transaction, no row). */
export async function announceProgress(db: DataSource, asset: { userId: string; assetId: string; folderId: string | null; versionNumber: number }, progress: number, step: string): Promise<void> {
  const event: AssetEvent = {
    activityId: null,
    userId: asset.userId,
    assetId: asset.assetId,
    folderId: asset.folderId,
    type: "processing",
    actor: "system",
    requestId: null,
    versionNumber: asset.versionNumber,
    before: null,
    after: null,
    createdAt: new Date().toISOString(),
    progress: Math.max(0, Math.min(1, Math.round(progress * 1000) / 1000)),
    step,
  };
  await db.query(`SELECT pg_notify($1, $2)`, [ASSET_EVENTS_CHANNEL, eventPayload(event)]);
}

/** One page of a user's activity (optionally one asset's), newest first, after the cursor's id. */
export async function listActivity(m: Pick<EntityManager, "query">, userId: string, options: { assetId?: string; beforeId?: string; limit: number }): Promise<ActivityRecord[]> {
  const rows: ActivityRow[] = await m.query(
    `SELECT ${ACTIVITY_COLUMNS} FROM asset_activity
      WHERE user_id = $1 AND ($2::uuid IS NULL OR asset_id = $2) AND ($3::bigint IS NULL OR activity_id < $3)
      ORDER BY activity_id DESC LIMIT $4`,
    [userId, options.assetId ?? null, options.beforeId ?? null, options.limit],
  );
  return rows.map(toRecord);
}

/** Whether the user has history for this asset (it may have been purged since). */
export async function hasActivity(m: Pick<EntityManager, "query">, userId: string, assetId: string): Promise<boolean> {
  const rows = await m.query(`SELECT 1 FROM asset_activity WHERE asset_id = $1 AND user_id = $2 LIMIT 1`, [assetId, userId]);
  return rows.length > 0;
}

/** Drops history older than the retention, in batches so no statement runs long. */
export async function removeExpiredActivity(db: DataSource, retentionDays: number, batchSize = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const rows: unknown[] = await db.query(
      `DELETE FROM asset_activity WHERE activity_id IN (
         SELECT activity_id FROM asset_activity WHERE created_at < now() - make_interval(days => $1) AND NOT webhook_pending LIMIT $2)
       RETURNING 1`,
      [retentionDays, batchSize],
    );
    total += rows.length;
    if (rows.length < batchSize) return total;
  }
}

export const ACTIVITY_COLUMNS = "activity_id, user_id, asset_id, folder_id, type, actor, request_id, version_number, before, after, created_at";

export interface ActivityRow {
  activity_id: string;
  webhook_pending?: boolean;
  user_id: string;
  asset_id: string;
  folder_id: string | null;
  type: ActivityRecord["type"];
  actor: string;
  request_id: string | null;
  version_number: number | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  created_at: Date;
}

export function toRecord(r: ActivityRow): ActivityRecord {
  return {
    activityId: String(r.activity_id),
    userId: r.user_id,
    assetId: r.asset_id,
    folderId: r.folder_id,
    type: r.type,
    actor: r.actor,
    requestId: r.request_id,
    versionNumber: r.version_number,
    before: r.before,
    after: r.after,
    createdAt: r.created_at,
  };
}

export function eventOf(record: ActivityRecord): AssetEvent {
  return { ...record, createdAt: record.createdAt.toISOString(), progress: null, step: null };
}

/** The NOTIFY payload; before/after are dropped when they would not fit (the audit trail keeps them). */
function eventPayload(event: AssetEvent): string {
  const full = JSON.stringify(event);
  return Buffer.byteLength(full) <= MAX_PAYLOAD_BYTES ? full : JSON.stringify({ ...event, before: null, after: null });
}

import type { ActivityRecord } from "./asset-event";

/**
 * An audit entry as JSON (snake_case): the REST shape, and the `data` of a webhook delivery, so
 * an integration reads the same object both ways.
 */
export function activityJson(r: ActivityRecord) {
  return {
    activity_id: r.activityId,
    asset_id: r.assetId,
    folder_id: r.folderId,
    type: r.type,
    actor: r.actor,
    request_id: r.requestId,
    version_number: r.versionNumber,
    before: r.before,
    after: r.after,
    created_at: new Date(r.createdAt).toISOString(),
  };
}

/** The event type a webhook receiver sees: `asset.uploaded`, `asset.ready`, … */
export function webhookEventType(type: string): string {
  return `asset.${type}`;
}

/** The activity type a webhook event name stands for (`asset.ready` → `ready`); the inverse of webhookEventType. */
export function activityTypeOf(eventName: string): string {
  return eventName.replace(/^asset\./, "");
}

/**
 * What happens to assets, as the audit trail keeps it and as subscribers and webhooks hear it.
 * `processing` is progress: announced live, never kept (it says nothing about who changed what).
 */
export const ASSET_EVENT_TYPES = [
  "uploaded",
  "processing",
  "ready",
  "failed",
  "updated",
  "version_added",
  "version_deleted",
  "rolled_back",
  "tagged",
  "untagged",
  "deleted",
  "restored",
  "purged",
  "references_changed",
] as const;

export type AssetEventType = (typeof ASSET_EVENT_TYPES)[number];

/** The types a webhook endpoint can ask for: every kept one (progress is too chatty to post). */
export const WEBHOOK_EVENT_TYPES = ASSET_EVENT_TYPES.filter((t) => t !== "processing");

/** The actor of changes no user made (processing, purge after retention). */
export const SYSTEM_ACTOR = "system";

/** Who caused a change, beyond the user: the request that carried it. */
export interface ChangeContext {
  requestId?: string;
}

/** One change to record, inside the transaction that makes it. */
export interface ActivityEntry {
  userId: string;
  assetId: string;
  type: Exclude<AssetEventType, "processing">;
  /** Left undefined: the asset row's folder at the time of recording. */
  folderId?: string | null;
  /** The user id, or SYSTEM_ACTOR. Defaults to the user id. */
  actor?: string;
  requestId?: string | null;
  versionNumber?: number | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** A kept change, as read back. */
export interface ActivityRecord {
  activityId: string;
  userId: string;
  assetId: string;
  folderId: string | null;
  type: AssetEventType;
  actor: string;
  requestId: string | null;
  versionNumber: number | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  createdAt: Date;
}

/** What travels to subscribers: a kept change, or progress (no activityId). */
export interface AssetEvent extends Omit<ActivityRecord, "activityId" | "createdAt"> {
  activityId: string | null;
  createdAt: string;
  /** Progress of processing, 0 to 1; null on other events. */
  progress: number | null;
  /** What processing is doing ("poster", "clip", …); null on other events. */
  step: string | null;
  /** The entry waits for webhook delivery (its owner has an endpoint for it): wakes the dispatchers. */
  webhookPending?: boolean;
}

/** The fields among `keys` whose values differ, as before/after halves (undefined when none do). */
export function changedFields<T extends object>(before: T, after: T, keys: Array<keyof T & string>): { before: Record<string, unknown>; after: Record<string, unknown> } | undefined {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of keys) {
    if (before[key] === after[key]) continue;
    b[key] = before[key] ?? null;
    a[key] = after[key] ?? null;
  }
  return Object.keys(a).length > 0 ? { before: b, after: a } : undefined;
}

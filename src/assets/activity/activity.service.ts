import type { DataSource } from "typeorm";
import { AppError, notFound, validationFailed } from "../../errors";
import { requireOwnedAsset } from "../asset.repository";
import { findOwnedFolder } from "../folder.repository";
import { isUuid } from "../validation";
import type { ActivityRecord, AssetEvent } from "./asset-event";
import type { AssetEventBus } from "./event-bus";
import { hasActivity, listActivity } from "./activity.repository";

export const DEFAULT_ACTIVITY_PAGE = 50;
export const MAX_ACTIVITY_PAGE = 200;

export interface ActivityPage {
  entries: ActivityRecord[];
  nextCursor: string | null;
}

/** The audit trail and live events, always within one owner's library. */
export class ActivityService {
  constructor(
    private readonly db: DataSource,
    private readonly bus: AssetEventBus,
  ) {}

  /**
   * The caller's history, newest first, or one asset's. An asset's history stays readable after
   * the asset is purged; another user's asset id answers NOT_FOUND, as a missing one does.
   */
  async list(userId: string, options: { assetId?: string; limit?: number; cursor?: string | null }): Promise<ActivityPage> {
    const limit = options.limit ?? DEFAULT_ACTIVITY_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ACTIVITY_PAGE) {
      throw validationFailed({ limit: `must be an integer from 1 to ${MAX_ACTIVITY_PAGE}` });
    }
    const beforeId = options.cursor ? decodeCursor(options.cursor) : undefined;
    let assetId: string | undefined;
    if (options.assetId !== undefined) {
      assetId = await this.requireHistory(userId, options.assetId);
    }
    const entries = await listActivity(this.db.manager, userId, { assetId, beforeId, limit: limit + 1 });
    const more = entries.length > limit;
    if (more) entries.length = limit;
    return { entries, nextCursor: more ? encodeCursor(entries[entries.length - 1].activityId) : null };
  }

  /** Live events of the caller's assets (one asset's, or one folder's), from now on. */
  async subscribe(userId: string, filter: { assetId?: string | null; folderId?: string | null }): Promise<AsyncIterableIterator<AssetEvent>> {
    const assetId = filter.assetId ? await this.requireHistory(userId, filter.assetId) : undefined;
    const folderId = filter.folderId ? (await findOwnedFolder(this.db.manager, userId, filter.folderId)).id : undefined;
    await this.bus.start();
    return this.bus.stream({ userId, assetId, folderId });
  }

  /** The asset's id when it is the caller's (live, deleted, or purged with history left). */
  private async requireHistory(userId: string, rawId: string): Promise<string> {
    if (!isUuid(rawId)) throw notFound("Asset");
    const assetId = rawId.toLowerCase();
    // Only NOT_FOUND means "not (or no longer) an asset of the caller's"; a database error stays one.
    const owned = await requireOwnedAsset(this.db.manager, userId, assetId).then(
      () => true,
      (error) => {
        if (error instanceof AppError && error.code === "NOT_FOUND") return false;
        throw error;
      },
    );
    if (!owned && !(await hasActivity(this.db.manager, userId, assetId))) throw notFound("Asset");
    return assetId;
  }
}

function encodeCursor(activityId: string): string {
  return Buffer.from(`a:${activityId}`).toString("base64url");
}

function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^a:(\d{1,18})$/.exec(decoded);
  if (!match) throw validationFailed({ cursor: "is not one this API gave out" });
  return match[1];
}

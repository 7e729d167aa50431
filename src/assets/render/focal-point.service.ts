import type { DataSource } from "typeorm";
import { notFound, validationFailed } from "../../errors";
import { recordActivity } from "../activity/activity.repository";
import type { ChangeContext } from "../activity/asset-event";
import { findOwnedAsset } from "../asset.repository";
import type { Asset, FocalPoint } from "../entities/asset.entity";

/** Each coordinate is kept to four decimals: a ten-thousandth of the side is below any pixel a crop can tell. */
const precise = (value: number) => Math.round(value * 10_000) / 10_000;

/** The focal point of an asset: what `fit=cover` renders keep in the crop. */
export class FocalPointService {
  constructor(private readonly db: DataSource) {}

  /** Sets (or with null, clears) the focal point; recorded in the audit trail as an update. */
  async set(userId: string, assetId: string, point: FocalPoint | null, ctx: ChangeContext = {}): Promise<Asset> {
    const next = point === null ? null : checked(point);
    return this.db.transaction(async (m) => {
      const asset = await findOwnedAsset(m, userId, assetId, true);
      if (asset.status === "deleted") throw notFound("Asset");
      const before = asset.focalPoint;
      if (JSON.stringify(before) === JSON.stringify(next)) return asset;
      asset.focalPoint = next;
      const [row] = await m.query(`WITH changed AS (UPDATE assets SET focal_point = $2, updated_at = now() WHERE asset_id = $1 RETURNING updated_at) SELECT updated_at FROM changed`, [asset.id, next === null ? null : JSON.stringify(next)]);
      asset.updatedAt = row.updated_at;
      await recordActivity(m, [{ userId, assetId: asset.id, type: "updated", requestId: ctx.requestId, before: { focal_point: before }, after: { focal_point: next } }]);
      return asset;
    });
  }
}

function checked(point: FocalPoint): FocalPoint {
  const problems: Record<string, string> = {};
  for (const axis of ["x", "y"] as const) {
    const value = point[axis];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) problems[axis] = "must be a number from 0 (left or top) to 1 (right or bottom)";
  }
  if (Object.keys(problems).length > 0) throw validationFailed(problems);
  return { x: precise(point.x), y: precise(point.y) };
}

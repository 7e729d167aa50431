import type { DataSource, EntityManager } from "typeorm";
import { validationFailed } from "../errors";
import { findOwnedAsset } from "./asset.repository";
import type { Asset } from "./entities";
import { bigintToHash } from "./media/perceptual-hash";
import { assetsInOrder, nearHashes, type NearHash } from "./similar.repository";

/** Distances up to this many bits count as a near-duplicate unless the caller says otherwise. */
export const DEFAULT_MAX_DISTANCE = 10;
/** The widest search: past it unrelated pictures start to match (different images measured 24 bits and more apart). */
export const MAX_DISTANCE = 12;
export const MAX_SIMILAR = 50;
/** How many near-duplicates a new picture is announced with (the upload's answer, the `ready` event). */
const ANNOUNCED = 5;

/** The near-duplicates a new picture is announced with: the owner's, at the default distance, itself left out. */
export function announcedNearDuplicates(m: EntityManager, userId: string, hash: string, assetId: string): Promise<NearHash[]> {
  return nearHashes(m, userId, hash, { maxDistance: DEFAULT_MAX_DISTANCE, exceptId: assetId, limit: ANNOUNCED });
}

export interface SimilarAsset {
  asset: Asset;
  distance: number;
}

/** Near-duplicates by perceptual hash, always within the caller's own assets. */
export class SimilarService {
  constructor(private readonly db: DataSource) {}

  /**
   * The caller's assets whose picture looks like this one's, nearest first. An asset with no
   * picture hash yet (processing, or audio without cover art) has none.
   */
  async similar(userId: string, assetId: string, options: SimilarOptions = {}, wireName: WireName = (field) => field): Promise<SimilarAsset[]> {
    const bounds = checkedBounds(options, wireName);
    return this.near(await findOwnedAsset(this.db.manager, userId, assetId), bounds);
  }

  /** The same, for an asset already read within its owner's scope (a GraphQL field of it). */
  similarTo(asset: Pick<Asset, "id" | "userId" | "phash">, options: SimilarOptions = {}, wireName: WireName = (field) => field): Promise<SimilarAsset[]> {
    return this.near(asset, checkedBounds(options, wireName));
  }

  private async near(asset: Pick<Asset, "id" | "userId" | "phash">, bounds: Required<SimilarOptions>): Promise<SimilarAsset[]> {
    if (asset.phash === null) return [];
    const near = await nearHashes(this.db.manager, asset.userId, bigintToHash(asset.phash), { ...bounds, exceptId: asset.id });
    const distances = new Map(near.map((n) => [n.assetId, n.distance]));
    const assets = await assetsInOrder(this.db.manager, near.map((n) => n.assetId));
    return assets.map((asset) => ({ asset, distance: distances.get(asset.id)! }));
  }
}

type SimilarOptions = { maxDistance?: number; limit?: number };
type WireName = (field: "maxDistance" | "limit") => string;

function checkedBounds(options: SimilarOptions, wireName: WireName): Required<SimilarOptions> {
  const maxDistance = options.maxDistance ?? DEFAULT_MAX_DISTANCE;
  const limit = options.limit ?? 20;
  const problems: Record<string, string> = {};
  if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > MAX_DISTANCE) problems[wireName("maxDistance")] = `must be a whole number from 0 to ${MAX_DISTANCE}`;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SIMILAR) problems[wireName("limit")] = `must be a whole number from 1 to ${MAX_SIMILAR}`;
  if (Object.keys(problems).length > 0) throw validationFailed(problems);
  return { maxDistance, limit };
}

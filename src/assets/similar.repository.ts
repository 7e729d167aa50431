import type { EntityManager } from "typeorm";
import { manyEntities } from "../db/row-mapper";
import { Asset } from "./entities";
import { bandNeighbours, bandsOf, hashToBigint } from "./media/perceptual-hash";

export interface NearHash {
  assetId: string;
  distance: number;
}

/** Each band's shift, most significant first; the expression is spelt as its index spells it (migrations/1764900000000-visual-summary.ts). */
const BAND_SHIFTS = [48, 32, 16, 0];

/**
 * The caller's live assets whose perceptual hash lies within `maxDistance` bits of `hash`,
 * nearest first (then newest), leaving out `exceptId`. Each band's probe values are joined to
 * its index, where the exact distance is checked on the hash the index carries (index-only);
 * only the few near rows are then read from the table. (The values go through unnest, not
 * `= ANY(array)`: the planner estimates an ANY list element by element, which cost more to plan
 * at 697 values than the query takes to run.)
 */
export async function nearHashes(m: EntityManager, userId: string, hash: string, options: { maxDistance: number; exceptId?: string; limit: number }): Promise<NearHash[]> {
  const radius = Math.floor(options.maxDistance / 4);
  const bands = bandsOf(hash).map((band) => bandNeighbours(band, radius));
  const probe = (shift: number, i: number) =>
    `SELECT a.asset_id, bit_count((a.phash # $2::bigint)::bit(64))::int AS distance
       FROM unnest($${i + 4}::bigint[]) AS probe(band)
       JOIN assets a ON a.user_id = $1 AND a.phash IS NOT NULL AND ((a.phash >> ${shift}) & 65535) = probe.band
      WHERE bit_count((a.phash # $2::bigint)::bit(64)) <= $8`;
  const rows: Array<{ asset_id: string; distance: number }> = await m.query(
    `WITH near AS (${BAND_SHIFTS.map(probe).join(" UNION ")})
     SELECT a.asset_id, near.distance FROM near JOIN assets a USING (asset_id)
      WHERE a.status <> 'deleted' AND a.asset_id IS DISTINCT FROM $3::uuid
      ORDER BY near.distance, a.created_at DESC, a.asset_id
      LIMIT $9`,
    [userId, hashToBigint(hash), options.exceptId ?? null, ...bands, options.maxDistance, options.limit],
  );
  return rows.map((row) => ({ assetId: row.asset_id, distance: row.distance }));
}

/** The assets themselves, in the order of `ids`. */
export async function assetsInOrder(m: EntityManager, ids: string[]): Promise<Asset[]> {
  if (ids.length === 0) return [];
  const found = await manyEntities(m.getRepository(Asset).createQueryBuilder("a").where("a.asset_id = ANY(:ids)", { ids }));
  const byId = new Map(found.map((asset) => [asset.id, asset]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

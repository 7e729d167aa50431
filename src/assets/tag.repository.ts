import type { EntityManager } from "typeorm";

/**
 * The kept `tags.usage_count`: the number of live (not deleted) assets carrying each tag. Every
 * statement that moves it is here, run in the transaction that adds or removes the links or
 * changes whether the assets count (delete, restore, a folder's forced delete).
 */

/** Moves usage counts by links added (`+1`) or removed (`-1`); one entry per link. */
export async function adjustTagUsage(m: EntityManager, links: Array<{ tag_id: string }>, sign: 1 | -1): Promise<void> {
  if (links.length === 0) return;
  await m.query(
    `UPDATE tags t SET usage_count = t.usage_count + $2 * n.count
       FROM (SELECT tag_id, count(*)::int AS count FROM unnest($1::uuid[]) AS tag_id GROUP BY tag_id) n
      WHERE t.tag_id = n.tag_id`,
    [links.map((l) => l.tag_id), sign],
  );
}

/** The assets stop (`-1`, deleted) or start again (`+1`, restored) counting for every tag they carry. */
export async function adjustTagUsageOfAssets(m: EntityManager, assetIds: string[], sign: 1 | -1): Promise<void> {
  if (assetIds.length === 0) return;
  await m.query(
    `UPDATE tags t SET usage_count = t.usage_count + $2 * n.count
       FROM (SELECT tag_id, count(*)::int AS count FROM asset_tags WHERE asset_id = ANY($1) GROUP BY tag_id) n
      WHERE t.tag_id = n.tag_id`,
    [assetIds, sign],
  );
}

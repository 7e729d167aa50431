import { testService } from "./setup";

const ROOT = `'00000000-0000-0000-0000-000000000000'::uuid`;

/**
 * Rows where the kept counts (asset_counts, asset_tag_counts) differ from a recount of the
 * assets themselves, for every user; [] when they agree. One statement, so one snapshot: work
 * committing meanwhile cannot make them seem to differ.
 */
export async function keptCountDifferences(): Promise<unknown[]> {
  return testService().runtime.services.db.query(`
    WITH kept AS (
      SELECT 'user:' || user_id AS owner, asset_type, folder_key, status, n FROM asset_counts WHERE n <> 0
      UNION ALL
      -- Rows of a tag deleted while a job moved its counts name no tag; nothing reads them.
      SELECT 'tag:' || tag_id, asset_type, folder_key, status, n FROM asset_tag_counts WHERE n <> 0 AND tag_id IN (SELECT tag_id FROM tags)
    ), recounted AS (
      SELECT 'user:' || user_id AS owner, asset_type, coalesce(folder_id, ${ROOT}) AS folder_key, status, count(*) AS n FROM assets GROUP BY 1, 2, 3, 4
      UNION ALL
      SELECT 'tag:' || t.tag_id, a.asset_type, coalesce(a.folder_id, ${ROOT}), a.status, count(*) FROM asset_tags t JOIN assets a USING (asset_id) GROUP BY 1, 2, 3, 4
    )
    (SELECT 'kept' AS side, * FROM kept EXCEPT SELECT 'kept', * FROM recounted)
    UNION ALL
    (SELECT 'recounted', * FROM recounted EXCEPT SELECT 'recounted', * FROM kept)`);
}

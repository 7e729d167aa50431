import type { EntityManager } from "typeorm";
import { notFound } from "../errors";
import { Folder } from "./entities";
import { isUuid } from "./validation";

/**
 * The SQL of folders: the owned-folder lookup every service uses, the tree walks, and the kept
 * asset count. Each takes the entity manager of the caller's transaction and, where ownership is
 * the question, the user id.
 */

/** The caller's folder, locked for the transaction when `lock`; NOT_FOUND for anyone else's or a malformed id. */
export async function findOwnedFolder(m: EntityManager, userId: string, folderId: string, lock = false): Promise<Folder> {
  if (!isUuid(folderId)) throw notFound("Folder");
  const folder = await m.findOne(Folder, { where: { id: folderId.toLowerCase(), userId }, lock: lock ? { mode: "pessimistic_write" } : undefined });
  if (!folder) throw notFound("Folder");
  return folder;
}

/** Moves a folder's kept count of live assets (in the transaction that moves the assets). */
export async function adjustFolderAssetCount(m: EntityManager, folderId: string, delta: number): Promise<void> {
  await m.increment(Folder, { id: folderId }, "assetCount", delta);
}

/** The assets leave (`-1`) or rejoin (`+1`) their folders' kept counts (a delete, a restore). */
export async function adjustFolderAssetCountsOf(m: EntityManager, assetIds: string[], sign: 1 | -1): Promise<void> {
  await m.query(
    `UPDATE folders f SET asset_count = f.asset_count + $2 * n.count
       FROM (SELECT folder_id, count(*)::int AS count FROM assets WHERE asset_id = ANY($1) AND folder_id IS NOT NULL GROUP BY folder_id) n
      WHERE f.folder_id = n.folder_id`,
    [assetIds, sign],
  );
}

/** The level of a folder: 1 for a top-level folder. */
export async function depthOf(m: EntityManager, folderId: string): Promise<number> {
  const [{ depth }] = await m.query(
    `WITH RECURSIVE up AS (
       SELECT folder_id, parent_folder_id, 1 AS depth FROM folders WHERE folder_id = $1
       UNION ALL SELECT f.folder_id, f.parent_folder_id, up.depth + 1 FROM folders f JOIN up ON f.folder_id = up.parent_folder_id)
     SELECT max(depth)::int AS depth FROM up`,
    [folderId],
  );
  return depth;
}

/** How many levels a subtree spans: 1 for a folder with no subfolders. */
export async function heightOf(m: EntityManager, folderId: string): Promise<number> {
  const [{ height }] = await m.query(
    `WITH RECURSIVE down AS (
       SELECT folder_id, 1 AS height FROM folders WHERE folder_id = $1
       UNION ALL SELECT f.folder_id, down.height + 1 FROM folders f JOIN down ON f.parent_folder_id = down.folder_id)
     SELECT max(height)::int AS height FROM down`,
    [folderId],
  );
  return height;
}

/** A folder and every folder below it, parents before their children. */
export async function subtreeIds(m: Pick<EntityManager, "query">, folderId: string): Promise<string[]> {
  const rows: Array<{ folder_id: string }> = await m.query(
    `WITH RECURSIVE down AS (
       SELECT folder_id, 1 AS level FROM folders WHERE folder_id = $1
       UNION ALL SELECT f.folder_id, down.level + 1 FROM folders f JOIN down ON f.parent_folder_id = down.folder_id)
     SELECT folder_id FROM down ORDER BY level`,
    [folderId],
  );
  return rows.map((r) => r.folder_id);
}

/** Removes a subtree (from `subtreeIds`), children first: a parent cannot go while something points at it. */
export async function deleteSubtree(m: EntityManager, subtree: string[]): Promise<void> {
  for (const id of [...subtree].reverse()) await m.query(`DELETE FROM folders WHERE folder_id = $1`, [id]);
}

/** Every folder of the user with its depth (1 at the top), parents before children, siblings by name. */
export async function folderTree(m: Pick<EntityManager, "query">, userId: string): Promise<Array<{ folder_id: string; depth: number }>> {
  return m.query(
    `WITH RECURSIVE tree AS (
       SELECT folder_id, 1 AS depth, ARRAY[lower(name)] AS path FROM folders WHERE user_id = $1 AND parent_folder_id IS NULL
       UNION ALL
       SELECT f.folder_id, t.depth + 1, t.path || lower(f.name) FROM folders f JOIN tree t ON f.parent_folder_id = t.folder_id
     )
     SELECT folder_id, depth FROM tree ORDER BY path`,
    [userId],
  );
}

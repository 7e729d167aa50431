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

/** A folder and every folder below it. */
export async function subtreeIds(m: Pick<EntityManager, "query">, folderId: string): Promise<string[]> {
  const rows: Array<{ folder_id: string }> = await m.query(
    `WITH RECURSIVE down AS (
       SELECT folder_id FROM folders WHERE folder_id = $1
       UNION ALL SELECT f.folder_id FROM folders f JOIN down ON f.parent_folder_id = down.folder_id)
     SELECT folder_id FROM down`,
    [folderId],
  );
  return rows.map((r) => r.folder_id);
}

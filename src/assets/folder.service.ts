import type { DataSource, EntityManager } from "typeorm";
import { AppError, validationFailed } from "../errors";
import { isUniqueViolation } from "../db/errors";
import { Folder } from "./entities";
import { lockLiveAssetsInFolders, softDeleteAssets } from "./asset.repository";
import { deleteSubtree, depthOf, findOwnedFolder, folderTree, heightOf, subtreeIds } from "./folder.repository";
import { cleanColor, cleanDescription, cleanIdentifyingName, optionalUuid } from "./validation";
import { recordActivity } from "./activity/activity.repository";
import type { ChangeContext } from "./activity/asset-event";

/** Top-level folders are level 1; nothing may sit deeper than level 5. */
export const MAX_FOLDER_DEPTH = 5;

export interface FolderInput {
  name: string;
  parentId?: string | null;
  description?: string | null;
  color?: string | null;
}

export interface FolderChanges {
  name?: string;
  /** Move under this folder; null moves to the root. */
  parentId?: string | null;
  description?: string | null;
  color?: string | null;
}

/**
 * The folder tree of one user. Every change to the tree's shape takes a per-user advisory lock,
 * so two concurrent moves cannot build a cycle or a level 6 between them.
 */
export class FolderService {
  constructor(private readonly db: DataSource) {}

  get(userId: string, folderId: string): Promise<Folder> {
    return findOwnedFolder(this.db.manager, userId, folderId);
  }

  /** Direct children of a folder (or of the root), by name. */
  async children(userId: string, parentId: string | null): Promise<Folder[]> {
    if (parentId) await findOwnedFolder(this.db.manager, userId, parentId);
    return this.db
      .getRepository(Folder)
      .createQueryBuilder("f")
      .where("f.user_id = :userId", { userId })
      .andWhere(parentId ? "f.parent_folder_id = :parentId" : "f.parent_folder_id IS NULL", { parentId })
      .orderBy("lower(f.name)")
      .addOrderBy("f.folder_id")
      .getMany();
  }

  /** Every folder of the user, parents before children. */
  async all(userId: string): Promise<Array<Folder & { depth: number }>> {
    const rows = await folderTree(this.db.manager, userId);
    const folders = await this.db.getRepository(Folder).findBy({ userId });
    const byId = new Map(folders.map((f) => [f.id, f]));
    return rows.map((r) => Object.assign(byId.get(r.folder_id)!, { depth: r.depth }));
  }

  async create(userId: string, input: FolderInput): Promise<Folder> {
    const name = cleanIdentifyingName("name", input.name);
    const parentId = optionalUuid("parent_folder_id", input.parentId) ?? null;
    const description = cleanDescription(input.description);
    const color = cleanColor(input.color);
    return this.inTree(userId, async (m) => {
      if (parentId) {
        await findOwnedFolder(m, userId, parentId);
        if ((await depthOf(m, parentId)) + 1 > MAX_FOLDER_DEPTH) throw depthExceeded();
      }
      const folder = m.create(Folder, { userId, parentFolderId: parentId, name, description, color, assetCount: 0 });
      return m.save(folder);
    });
  }

  async update(userId: string, folderId: string, changes: FolderChanges): Promise<Folder> {
    const name = changes.name === undefined ? undefined : cleanIdentifyingName("name", changes.name);
    const parentId = optionalUuid("parent_folder_id", changes.parentId);
    const description = changes.description === undefined ? undefined : cleanDescription(changes.description);
    const color = changes.color === undefined ? undefined : cleanColor(changes.color);
    return this.inTree(userId, async (m) => {
      const folder = await findOwnedFolder(m, userId, folderId);
      if (parentId !== undefined && parentId !== folder.parentFolderId) {
        if (parentId) {
          await findOwnedFolder(m, userId, parentId);
          const subtree = await subtreeIds(m, folder.id);
          if (subtree.includes(parentId)) {
            throw validationFailed({ parent_folder_id: "a folder cannot move into itself or one of its subfolders" });
          }
          if ((await depthOf(m, parentId)) + (await heightOf(m, folder.id)) > MAX_FOLDER_DEPTH) throw depthExceeded();
        }
        folder.parentFolderId = parentId;
      }
      if (name !== undefined) folder.name = name;
      if (description !== undefined) folder.description = description;
      if (color !== undefined) folder.color = color;
      return m.save(folder);
    });
  }

  /**
   * Deletes a folder and its subfolders. Live assets anywhere inside need `force`, which soft-deletes
   * them (they leave with the folders; restored, they come back at the root); a referenced one
   * blocks even then.
   */
  async delete(userId: string, folderId: string, force = false, ctx: ChangeContext = {}): Promise<{ deletedFolders: number; deletedAssets: number }> {
    return this.inTree(userId, async (m) => {
      await findOwnedFolder(m, userId, folderId);
      const folders = await subtreeIds(m, folderId);
      const ids = await lockLiveAssetsInFolders(m, userId, folders);
      if (ids.length > 0 && !force) {
        throw new AppError("FOLDER_NOT_EMPTY", `The folder holds ${ids.length} asset(s); delete with force to delete them too`, {
          asset_count: ids.length,
        });
      }
      const references: Array<{ asset_id: string; resource_type: string; resource_id: string; usage_type: string }> = await m.query(
        `SELECT asset_id, resource_type, resource_id, usage_type FROM asset_references WHERE asset_id = ANY($1) AND user_id = $2`,
        [ids, userId],
      );
      if (references.length > 0) {
        throw new AppError("ASSET_IN_USE", "Assets in the folder are used by projects, templates or batches", { references });
      }
      await softDeleteAssets(m, ids);
      // Recorded while the assets still name their folder, so the folder's subscribers hear it.
      await recordActivity(m, ids.map((assetId) => ({
        userId, assetId, type: "deleted" as const, requestId: ctx.requestId,
        after: { status: "deleted", forced: true, folder_deleted: folderId, references_removed: [] },
      })));
      // Deleted assets inside keep their rows until purge; they no longer have a folder.
      await m.query(`UPDATE assets SET folder_id = NULL WHERE user_id = $1 AND folder_id = ANY($2)`, [userId, folders]);
      await deleteSubtree(m, folders);
      return { deletedFolders: folders.length, deletedAssets: ids.length };
    });
  }

  /** Runs a tree change under the user's lock, turning a duplicate name into NAME_CONFLICT. */
  private async inTree<T>(userId: string, change: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(async (m) => {
        await m.query(`SELECT pg_advisory_xact_lock(hashtext('folders:' || $1))`, [userId]);
        return change(m);
      });
    } catch (error) {
      if (isUniqueViolation(error, "folders_user_parent_name_key")) {
        throw new AppError("NAME_CONFLICT", "A folder with that name already exists there", { field: "name" });
      }
      throw error;
    }
  }
}

function depthExceeded(): AppError {
  return new AppError("FOLDER_DEPTH_EXCEEDED", `Folders nest at most ${MAX_FOLDER_DEPTH} levels deep`, { max_depth: MAX_FOLDER_DEPTH });
}

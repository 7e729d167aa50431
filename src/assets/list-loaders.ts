import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import { AppError } from "../errors";
import { Asset, AssetReference, AssetVersion, Folder } from "./entities";

/**
 * The list fields of a page of parents, one statement per field for the whole page, keyed with
 * the caller: versions of assets, references of assets, subfolders of folders. Each statement
 * carries the owner's id, so a parent of another user's yields an empty list, never their rows.
 * The orders are the services' (history newest first, uses newest first, subfolders by name).
 */
export class ListLoaders {
  private readonly versionsOf: DataLoader<string, AssetVersion[]>;
  private readonly referencesOf: DataLoader<string, AssetReference[]>;
  private readonly childrenOf: DataLoader<string, Folder[]>;

  constructor(db: DataSource, userId: string) {
    this.versionsOf = new DataLoader(async (assetIds) =>
      groupBy(
        assetIds,
        await db
          .getRepository(AssetVersion)
          .createQueryBuilder("v")
          .innerJoin(Asset, "a", "a.id = v.assetId AND a.userId = :userId", { userId })
          .where("v.assetId = ANY(:ids)", { ids: assetIds })
          .orderBy("v.versionNumber", "DESC")
          .getMany(),
        (v) => v.assetId,
      ),
    );
    this.referencesOf = new DataLoader(async (assetIds) =>
      groupBy(
        assetIds,
        await db
          .getRepository(AssetReference)
          .createQueryBuilder("r")
          .where("r.userId = :userId AND r.assetId = ANY(:ids)", { userId, ids: assetIds })
          .orderBy("r.createdAt", "DESC")
          .getMany(),
        (r) => r.assetId,
      ),
    );
    this.childrenOf = new DataLoader(async (folderIds) =>
      groupBy(
        folderIds,
        await db
          .getRepository(Folder)
          .createQueryBuilder("f")
          .where("f.userId = :userId AND f.parentFolderId = ANY(:ids)", { userId, ids: folderIds })
          .orderBy("lower(f.name)")
          .addOrderBy("f.id")
          .getMany(),
        (f) => f.parentFolderId!,
      ),
    );
  }

  /** The history of one of the caller's assets, newest first; a deleted asset's is not listed (restore it first). */
  versions(asset: Asset): Promise<AssetVersion[]> {
    if (asset.status === "deleted") return Promise.reject(new AppError("CONFLICT", "The asset is deleted; restore it first"));
    return this.versionsOf.load(asset.id);
  }

  references(assetId: string): Promise<AssetReference[]> {
    return this.referencesOf.load(assetId);
  }

  children(folderId: string): Promise<Folder[]> {
    return this.childrenOf.load(folderId);
  }
}

function groupBy<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k)!);
}

import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import type { DerivativeKind } from "./entities/asset-derivative.entity";
import { ListLoaders } from "./list-loaders";

export interface FolderSummary {
  id: string;
  name: string;
}

export interface DerivativeSummary {
  kind: DerivativeKind;
  mimeType: string;
  fileSize: number;
  width: number | null;
  height: number | null;
}

export interface TagSummary {
  id: string;
  name: string;
  color: string | null;
}

/** Everything a listed asset carries besides its own row. */
export interface AssetExtras {
  folder: FolderSummary | null;
  tags: TagSummary[];
  /** The derivatives of the asset's current version. */
  derivatives: DerivativeSummary[];
  versionsCount: number;
  referencesCount: number;
}

const NO_EXTRAS: AssetExtras = { folder: null, tags: [], derivatives: [], versionsCount: 0, referencesCount: 0 };

interface ExtrasRow {
  asset_id: string;
  folder_id: string | null;
  folder_name: string | null;
  versions_count: number;
  references_count: number;
  tags: Array<{ id: string; name: string; color: string | null }>;
  derivatives: Array<{ kind: DerivativeKind; mime_type: string; file_size: string | number; width: number | null; height: number | null }>;
}

/**
 * Batched lookups of what hangs off a page of assets, made once per request for one user: a page
 * of any size costs one statement for its folders, tags, derivatives and counts together (each a
 * small index lookup per asset), and the statement carries the owner's id. One statement rather
 * than one per relation: on a busy server every round trip to PostgreSQL also costs a wake-up of
 * its backend, which cost more than the lookups themselves.
 */
export class AssetLoaders {
  private readonly extras: DataLoader<string, AssetExtras>;
  /** The extras already read, by asset id (see `with`). */
  private readonly read = new Map<string, AssetExtras>();
  /** The list fields (versions, references, subfolders), batched the same way. */
  readonly lists: ListLoaders;

  constructor(db: DataSource, userId: string) {
    this.lists = new ListLoaders(db, userId);
    this.extras = new DataLoader(async (assetIds) => {
      const rows: ExtrasRow[] = await db.query(
        `SELECT a.asset_id, f.folder_id, f.name AS folder_name,
                (SELECT count(*) FROM asset_versions v WHERE v.asset_id = a.asset_id)::int AS versions_count,
                (SELECT count(*) FROM asset_references r WHERE r.asset_id = a.asset_id AND r.user_id = a.user_id)::int AS references_count,
                coalesce((SELECT json_agg(json_build_object('id', t.tag_id, 'name', t.name, 'color', t.color) ORDER BY lower(t.name))
                            FROM asset_tags at JOIN tags t ON t.tag_id = at.tag_id AND t.user_id = a.user_id
                           WHERE at.asset_id = a.asset_id), '[]') AS tags,
                coalesce((SELECT json_agg(json_build_object('kind', d.kind, 'mime_type', d.mime_type, 'file_size', d.file_size, 'width', d.width, 'height', d.height) ORDER BY d.kind)
                            FROM asset_derivatives d
                           WHERE d.asset_id = a.asset_id AND d.version_number = a.current_version), '[]') AS derivatives
           FROM assets a LEFT JOIN folders f ON f.folder_id = a.folder_id AND f.user_id = a.user_id
          WHERE a.asset_id = ANY($1::uuid[]) AND a.user_id = $2`,
        [assetIds, userId],
      );
      const byAsset = new Map(rows.map((r) => [r.asset_id, toExtras(r)]));
      return assetIds.map((id) => {
        const extras = byAsset.get(id) ?? NO_EXTRAS;
        this.read.set(id, extras);
        return extras;
      });
    });
  }

  /** Reads the extras of a page of assets now (one statement), so its fields then answer at once. */
  async prefetch(assetIds: string[]): Promise<void> {
    await this.extras.loadMany(assetIds);
  }

  /**
   * `pick` of the asset's extras: the value itself once they have been read (a page read ahead:
   * no promise per field), else a promise of it, batched with the rest of the page.
   */
  with<T>(assetId: string, pick: (extras: AssetExtras) => T): T | Promise<T> {
    const known = this.read.get(assetId);
    return known ? pick(known) : this.extras.load(assetId).then(pick);
  }

  folder(assetId: string): FolderSummary | null | Promise<FolderSummary | null> {
    return this.with(assetId, (e) => e.folder);
  }

  tags(assetId: string): TagSummary[] | Promise<TagSummary[]> {
    return this.with(assetId, (e) => e.tags);
  }

  derivatives(assetId: string): DerivativeSummary[] | Promise<DerivativeSummary[]> {
    return this.with(assetId, (e) => e.derivatives);
  }

  versionsCount(assetId: string): number | Promise<number> {
    return this.with(assetId, (e) => e.versionsCount);
  }

  referencesCount(assetId: string): number | Promise<number> {
    return this.with(assetId, (e) => e.referencesCount);
  }

  /** All of the above at once (the REST asset shape). */
  all(assetId: string): AssetExtras | Promise<AssetExtras> {
    return this.with(assetId, (e) => e);
  }
}

function toExtras(row: ExtrasRow): AssetExtras {
  return {
    folder: row.folder_id ? { id: row.folder_id, name: row.folder_name! } : null,
    tags: row.tags,
    derivatives: row.derivatives.map((d) => ({ kind: d.kind, mimeType: d.mime_type, fileSize: Number(d.file_size), width: d.width, height: d.height })),
    versionsCount: row.versions_count,
    referencesCount: row.references_count,
  };
}

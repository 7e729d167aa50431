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

/** The extras columns as extrasSelect names them. */
export interface ExtrasRow {
  x_folder_id: string | null;
  x_folder_name: string | null;
  x_versions_count: number;
  x_references_count: number;
  x_tags: Array<{ id: string; name: string; color: string | null }>;
  x_derivatives: Array<{ kind: DerivativeKind; mime_type: string; file_size: string | number; width: number | null; height: number | null }>;
}

/** The asset columns the extras are looked up by. */
type KeyColumn = "asset_id" | "user_id" | "folder_id" | "current_version";

/**
 * An asset's extras as select-list columns over a relation holding its row (`column` names each
 * key column there), each a small index lookup scoped to the row's owner: the batch below selects
 * them for a list of ids, and a search page selects them over its own rows once its LIMIT has
 * applied (search.service.ts), so a page and its extras are one statement.
 */
export function extrasSelect(column: (name: KeyColumn) => string): string {
  const [id, owner, folder, version] = (["asset_id", "user_id", "folder_id", "current_version"] as const).map(column);
  return [
    `${folder} AS x_folder_id`,
    `(SELECT f.name FROM folders f WHERE f.folder_id = ${folder} AND f.user_id = ${owner}) AS x_folder_name`,
    `(SELECT count(*) FROM asset_versions v WHERE v.asset_id = ${id})::int AS x_versions_count`,
    `(SELECT count(*) FROM asset_references r WHERE r.asset_id = ${id} AND r.user_id = ${owner})::int AS x_references_count`,
    `coalesce((SELECT json_agg(json_build_object('id', t.tag_id, 'name', t.name, 'color', t.color) ORDER BY lower(t.name))
                 FROM asset_tags at JOIN tags t ON t.tag_id = at.tag_id AND t.user_id = ${owner}
                WHERE at.asset_id = ${id}), '[]') AS x_tags`,
    `coalesce((SELECT json_agg(json_build_object('kind', d.kind, 'mime_type', d.mime_type, 'file_size', d.file_size, 'width', d.width, 'height', d.height) ORDER BY d.kind)
                 FROM asset_derivatives d
                WHERE d.asset_id = ${id} AND d.version_number = ${version}), '[]') AS x_derivatives`,
  ].join(",\n       ");
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
      const rows: Array<ExtrasRow & { asset_id: string }> = await db.query(
        `SELECT a.asset_id, ${extrasSelect((name) => `a.${name}`)} FROM assets a WHERE a.asset_id = ANY($1::uuid[]) AND a.user_id = $2`,
        [assetIds, userId],
      );
      const byAsset = new Map(rows.map((r) => [r.asset_id, extrasOf(r)]));
      return assetIds.map((id) => {
        const extras = byAsset.get(id) ?? NO_EXTRAS;
        this.read.set(id, extras);
        return extras;
      });
    });
  }

  /** Extras a page's own statement already read (search.service.ts), so its fields answer from them. */
  remember(extras: ReadonlyMap<string, AssetExtras>): void {
    for (const [id, value] of extras) this.read.set(id, value);
  }

  /**
   * `pick` of the asset's extras: the value itself once they have been read (with the page:
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

/** The extras of one row selected with extrasSelect (a folder that is not the owner's reads as none). */
export function extrasOf(row: ExtrasRow): AssetExtras {
  return {
    folder: row.x_folder_id && row.x_folder_name !== null ? { id: row.x_folder_id, name: row.x_folder_name } : null,
    tags: row.x_tags,
    derivatives: row.x_derivatives.map((d) => ({ kind: d.kind, mimeType: d.mime_type, fileSize: Number(d.file_size), width: d.width, height: d.height })),
    versionsCount: row.x_versions_count,
    referencesCount: row.x_references_count,
  };
}

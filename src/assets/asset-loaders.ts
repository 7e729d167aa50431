import DataLoader from "dataloader";
import { In, type DataSource } from "typeorm";
import { Folder } from "./entities";
import type { DerivativeKind } from "./entities/asset-derivative.entity";

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

/**
 * Batched lookups of what hangs off a page of assets, made once per request for one user: a page
 * of any size costs one query per relation, and every query carries the owner's id.
 */
export class AssetLoaders {
  readonly folder: DataLoader<string, FolderSummary | null>;
  readonly tags: DataLoader<string, TagSummary[]>;
  readonly versionsCount: DataLoader<string, number>;
  readonly referencesCount: DataLoader<string, number>;
  /** The derivatives of each asset's current version. */
  readonly derivatives: DataLoader<string, DerivativeSummary[]>;

  constructor(db: DataSource, userId: string) {
    this.folder = new DataLoader(async (ids) => {
      const rows = await db.getRepository(Folder).find({ where: { id: In([...ids]), userId }, select: { id: true, name: true } });
      const byId = new Map(rows.map((f) => [f.id, { id: f.id, name: f.name }]));
      return ids.map((id) => byId.get(id) ?? null);
    });

    this.tags = new DataLoader(async (assetIds) => {
      const rows: Array<{ asset_id: string; tag_id: string; name: string; color: string | null }> = await db.query(
        `SELECT at.asset_id, t.tag_id, t.name, t.color
           FROM asset_tags at JOIN tags t ON t.tag_id = at.tag_id
          WHERE at.asset_id = ANY($1::uuid[]) AND t.user_id = $2
          ORDER BY lower(t.name)`,
        [assetIds, userId],
      );
      const byAsset = groupBy(rows, (r) => r.asset_id);
      return assetIds.map((id) => (byAsset.get(id) ?? []).map((r) => ({ id: r.tag_id, name: r.name, color: r.color })));
    });

    this.derivatives = new DataLoader(async (assetIds) => {
      const rows: Array<{ asset_id: string; kind: DerivativeKind; mime_type: string; file_size: string; width: number | null; height: number | null }> =
        await db.query(
          `SELECT d.asset_id, d.kind, d.mime_type, d.file_size, d.width, d.height
             FROM asset_derivatives d
             JOIN assets a ON a.asset_id = d.asset_id AND a.current_version = d.version_number
            WHERE d.asset_id = ANY($1::uuid[]) AND a.user_id = $2
            ORDER BY d.kind`,
          [assetIds, userId],
        );
      const byAsset = groupBy(rows, (r) => r.asset_id);
      return assetIds.map((id) =>
        (byAsset.get(id) ?? []).map((r) => ({ kind: r.kind, mimeType: r.mime_type, fileSize: Number(r.file_size), width: r.width, height: r.height })),
      );
    });

    this.versionsCount = countLoader(
      db,
      `SELECT v.asset_id AS id, count(*)::int AS n
         FROM asset_versions v JOIN assets a ON a.asset_id = v.asset_id
        WHERE v.asset_id = ANY($1::uuid[]) AND a.user_id = $2
        GROUP BY v.asset_id`,
      userId,
    );
    this.referencesCount = countLoader(
      db,
      `SELECT asset_id AS id, count(*)::int AS n FROM asset_references
        WHERE asset_id = ANY($1::uuid[]) AND user_id = $2
        GROUP BY asset_id`,
      userId,
    );
  }
}

function countLoader(db: DataSource, sql: string, userId: string): DataLoader<string, number> {
  return new DataLoader(async (ids) => {
    const rows: Array<{ id: string; n: number }> = await db.query(sql, [ids, userId]);
    const counts = new Map(rows.map((r) => [r.id, r.n]));
    return ids.map((id) => counts.get(id) ?? 0);
  });
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

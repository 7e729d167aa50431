import { createHash } from "node:crypto";
import type { DataSource, SelectQueryBuilder } from "typeorm";
import { notFound, validationFailed } from "../errors";
import { isAssetType, type AssetType } from "./asset-types";
import { Asset, Folder } from "./entities";
import { subtreeIds } from "./folders.service";
import type { SearchInput, SortField } from "./search-input";
import { isUuid } from "./validation";

export interface Facets {
  assetType: Partial<Record<AssetType, number>>;
  folder: Array<{ folderId: string | null; name: string | null; count: number }>;
}

export interface SearchResult {
  items: Asset[];
  total: number;
  nextCursor: string | null;
  facets: Facets;
  /** The cursor that resumes after each item, in order. */
  cursors: string[];
}

/** Column and parameter cast of each sort, for keyset comparison. */
const SORT_COLUMNS: Record<SortField, { column: string; cast: string }> = {
  // Case- and accent-insensitive, as people read names (see migrations/1764500000000-name-collation.ts).
  name: { column: `a.name COLLATE "asset_name"`, cast: "text" },
  created_at: { column: "a.created_at", cast: "timestamptz" },
  file_size: { column: "a.file_size", cast: "bigint" },
  asset_type: { column: "a.asset_type", cast: "asset_type" },
};

/**
 * Search over one user's library: every filter combinable, keyset pagination on (sort key,
 * asset_id) with no OFFSET, and facet counts by type and folder over the same filters. A page
 * costs two statements, run side by side: the page itself, and one GROUPING SETS count that yields
 * the facets (with folder names) and the total.
 */
export class SearchService {
  constructor(private readonly db: DataSource) {}

  async search(userId: string, input: SearchInput): Promise<SearchResult> {
    const fingerprint = filterFingerprint(input);
    const after = input.cursor ? decodeSearchCursor(input.cursor, userId, fingerprint, input) : undefined;
    const base = await this.filtered(userId, input);

    const page = base.clone();
    const { column, cast } = SORT_COLUMNS[input.sort];
    const direction = input.order === "asc" ? ">" : "<";
    if (after) page.andWhere(`(${column}, a.asset_id) ${direction} (CAST(:afterValue AS ${cast}), CAST(:afterId AS uuid))`, { afterValue: after.value, afterId: after.id });
    const order = input.order === "asc" ? "ASC" : "DESC";
    // The page and the counts are independent: they run side by side on two connections.
    const [rows, facetRows] = await Promise.all([
      page.orderBy(column, order).addOrderBy("a.asset_id", order).limit(input.limit + 1).getMany(),
      base
        .clone()
        .leftJoin(Folder, "f", "f.folder_id = a.folder_id AND f.user_id = a.user_id")
        .select("a.asset_type", "asset_type")
        .addSelect("a.folder_id", "folder_id")
        .addSelect("f.name", "folder_name")
        .addSelect("GROUPING(a.asset_type)", "by_type")
        .addSelect("count(*)::int", "n")
        .groupBy("GROUPING SETS ((a.asset_type), (a.folder_id, f.name))")
        .getRawMany<{ asset_type: AssetType | null; folder_id: string | null; folder_name: string | null; by_type: number; n: number }>(),
    ]);
    const items = rows.slice(0, input.limit);
    const cursors = items.map((a) => encodeSearchCursor(userId, fingerprint, sortValue(a, input.sort), a.id));
    const typeRows = facetRows.filter((r) => Number(r.by_type) === 0);
    const folderRows = facetRows.filter((r) => Number(r.by_type) === 1);

    return {
      items,
      total: typeRows.reduce((sum, r) => sum + r.n, 0),
      nextCursor: rows.length > input.limit ? cursors[cursors.length - 1] : null,
      cursors,
      facets: {
        assetType: Object.fromEntries(typeRows.map((r) => [r.asset_type, r.n])),
        folder: folderRows
          .map((r) => ({ folderId: r.folder_id, name: r.folder_name, count: r.n }))
          .sort((x, y) => y.count - x.count),
      },
    };
  }

  private async filtered(userId: string, input: SearchInput): Promise<SelectQueryBuilder<Asset>> {
    const q = this.db.getRepository(Asset).createQueryBuilder("a").where("a.user_id = :userId", { userId });
    if (input.status) q.andWhere("a.status = :status", { status: input.status });
    else q.andWhere("a.status <> 'deleted'");
    if (input.query) q.andWhere("a.name ILIKE :pattern", { pattern: `%${escapeLike(input.query)}%` });
    if (input.assetTypes) q.andWhere("a.asset_type = ANY(:types)", { types: input.assetTypes });
    if (input.folderId === "root") {
      if (!input.includeSubfolders) q.andWhere("a.folder_id IS NULL");
    } else if (input.folderId) {
      const folders = input.includeSubfolders ? await this.ownedSubtree(userId, input.folderId) : [await this.ownedFolder(userId, input.folderId)];
      q.andWhere("a.folder_id = ANY(:folders)", { folders });
    }
    if (input.tags) {
      // Every tag must be on the asset.
      q.andWhere(
        `a.asset_id IN (SELECT at.asset_id FROM asset_tags at JOIN tags t ON t.tag_id = at.tag_id
                         WHERE t.user_id = :userId AND lower(t.name) = ANY(:tagNames)
                         GROUP BY at.asset_id HAVING count(*) = :tagCount)`,
        { tagNames: input.tags.map((t) => t.toLowerCase()), tagCount: input.tags.length },
      );
    }
    if (input.createdAfter) q.andWhere("a.created_at >= :createdAfter", { createdAfter: input.createdAfter });
    if (input.createdBefore) q.andWhere("a.created_at < :createdBefore", { createdBefore: input.createdBefore });
    if (input.fileSizeMin !== undefined) q.andWhere("a.file_size >= :sizeMin", { sizeMin: input.fileSizeMin });
    if (input.fileSizeMax !== undefined) q.andWhere("a.file_size <= :sizeMax", { sizeMax: input.fileSizeMax });
    return q;
  }

  private async ownedFolder(userId: string, folderId: string): Promise<string> {
    const [row] = await this.db.query(`SELECT folder_id FROM folders WHERE folder_id = $1 AND user_id = $2`, [folderId, userId]);
    if (!row) throw notFound("Folder");
    return row.folder_id;
  }

  private async ownedSubtree(userId: string, folderId: string): Promise<string[]> {
    return subtreeIds(this.db, await this.ownedFolder(userId, folderId));
  }
}

function sortValue(asset: Asset, sort: SortField): string {
  switch (sort) {
    case "name":
      return asset.name;
    case "created_at":
      return asset.createdAt.toISOString();
    case "file_size":
      return String(asset.fileSize);
    case "asset_type":
      return asset.assetType;
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** What a cursor is bound to besides its user: the filters, sort and order (not the page size). */
function filterFingerprint(input: SearchInput): string {
  const { cursor: _cursor, limit: _limit, ...filters } = input;
  return createHash("sha256").update(JSON.stringify(filters)).digest("base64url").slice(0, 16);
}

function ownerTag(userId: string): string {
  return createHash("sha256").update(userId).digest("base64url").slice(0, 12);
}

function encodeSearchCursor(userId: string, fingerprint: string, value: string, id: string): string {
  return Buffer.from(JSON.stringify({ v: value, i: id, u: ownerTag(userId), f: fingerprint })).toString("base64url");
}

/** A cursor from another user, or from a different query, is refused rather than misread. */
function decodeSearchCursor(cursor: string, userId: string, fingerprint: string, input: SearchInput): { value: string; id: string } {
  try {
    const c = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { v?: unknown; i?: unknown; u?: unknown; f?: unknown };
    if (c.u !== ownerTag(userId) || c.f !== fingerprint || typeof c.v !== "string" || !isUuid(c.i)) throw new Error("foreign cursor");
    if (input.sort === "created_at" && Number.isNaN(Date.parse(c.v))) throw new Error("bad value");
    if (input.sort === "file_size" && !/^\d+$/.test(c.v)) throw new Error("bad value");
    if (input.sort === "asset_type" && !isAssetType(c.v)) throw new Error("bad value");
    return { value: c.v, id: c.i };
  } catch {
    throw validationFailed({ cursor: "is not a cursor from this search" });
  }
}

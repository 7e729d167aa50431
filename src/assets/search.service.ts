import type { DataSource, SelectQueryBuilder } from "typeorm";
import type { AssetType } from "./asset-types";
import { entityMapper } from "../db/row-mapper";
import { extrasOf, extrasSelect, type AssetExtras, type ExtrasRow } from "./asset-loaders";
import { Asset, Folder } from "./entities";
import { findOwnedFolder, subtreeIds } from "./folder.repository";
import { cursorEncoder, decodeSearchCursor, filterFingerprint } from "./search-cursor";
import { keptCountsAnswer, keptFacetRows, type FacetRow } from "./search-counts";
import type { SearchInput, SortField } from "./search-input";

export interface Facets {
  assetType: Partial<Record<AssetType, number>>;
  folder: Array<{ folderId: string | null; name: string | null; count: number }>;
}

export interface SearchPage {
  items: Asset[];
  nextCursor: string | null;
  /** The cursor that resumes after the item at `index` (made on demand: most pages need one). */
  cursorAt(index: number): string;
  /** Each item's folder, tags, derivatives and counts, when asked for (`extras`): read by the page's own statement. */
  extras?: Map<string, AssetExtras>;
}

/** What a page is read with besides its assets. */
export interface PageOptions {
  /** Their extras (asset-loaders.ts), selected beside them. */
  extras?: boolean;
}

export interface SearchCounts {
  total: number;
  facets: Facets;
}

export type SearchResult = SearchPage & SearchCounts;

/** The folders and tags a search is narrowed to, resolved (folders checked to be the caller's) once per search. */
interface Scope {
  folderIds?: string[];
  /** One id per requested tag name; a name the user has no tag of stands as an id no asset carries. */
  tagIds?: string[];
}

const NO_TAG = "00000000-0000-0000-0000-000000000000";

/**
 * Each sort's key and parameter cast, for ordering and keyset comparison; `name` spells a column
 * of the asset where the key is read (`a.created_at` in the page, `p.a_created_at` around it).
 */
const SORT_COLUMNS: Record<SortField, { column: (name: (column: string) => string) => string; cast: string }> = {
  // Case- and accent-insensitive, as people read names (see migrations/1764500000000-name-collation.ts).
  name: { column: (name) => `${name("name")} COLLATE "asset_name"`, cast: "text" },
  created_at: { column: (name) => name("created_at"), cast: "timestamptz" },
  file_size: { column: (name) => name("file_size"), cast: "bigint" },
  asset_type: { column: (name) => name("asset_type"), cast: "asset_type" },
};

/**
 * Search over one user's library: every filter combinable, keyset pagination on (sort key,
 * asset_id) with no OFFSET, and the total with facet counts by type and folder over the same
 * filters. The page and the counts are separate calls (GraphQL asks for the counts only when a
 * query selects them) and run side by side when both are wanted. Counts come from the kept
 * per-type/folder/status (and per-tag) counts when the filters allow (a browse, a type, folder,
 * status or single-tag filter: a few rows however large the library), else from one GROUPING SETS
 * count over the matching rows.
 */
export class SearchService {
  constructor(private readonly db: DataSource) {}

  async search(userId: string, input: SearchInput, options: PageOptions = {}): Promise<SearchResult> {
    const { page, counts } = await this.pageWithCounts(userId, input, { ...options, counts: true });
    return { ...page, ...counts! };
  }

  /** A page and, when asked for, its counts, side by side on two connections; the filters' scope is resolved once for both. */
  async pageWithCounts(userId: string, input: SearchInput, options: PageOptions & { counts: boolean }): Promise<{ page: SearchPage; counts?: SearchCounts }> {
    const scope = await this.scope(userId, input);
    const [page, counts] = await Promise.all([this.page(userId, input, scope, options), options.counts ? this.counts(userId, input, scope) : undefined]);
    return { page, counts };
  }

  async page(userId: string, input: SearchInput, scope?: Scope, options: PageOptions = {}): Promise<SearchPage> {
    const fingerprint = filterFingerprint(input);
    const after = input.cursor ? decodeSearchCursor(input.cursor, userId, fingerprint, input) : undefined;
    const resolved = scope ?? (await this.scope(userId, input));
    // Newest first within a tag walks the tag's links in that order (each carries its asset's
    // created_at; migrations/1765200000000-tag-created-index.ts) instead of the whole library.
    const byTag = input.sort === "created_at" && (resolved.tagIds?.length ?? 0) > 0;
    const page = this.filtered(userId, input, resolved, byTag);
    const { column, cast } = SORT_COLUMNS[input.sort];
    const [walk, walkId] = byTag ? ["st.asset_created_at", "st.asset_id"] : [column((name) => `a.${name}`), "a.asset_id"];
    const direction = input.order === "asc" ? ">" : "<";
    if (after) page.andWhere(`(${walk}, ${walkId}) ${direction} (CAST(:afterValue AS ${cast}), CAST(:afterId AS uuid))`, { afterValue: after.value, afterId: after.id });
    const order = input.order === "asc" ? "ASC" : "DESC";
    page.orderBy(walk, order).addOrderBy(walkId, order).limit(input.limit + 1);
    const toEntity = entityMapper(page);
    const rows: Array<Record<string, unknown>> = options.extras ? await this.withExtras(page, column((name) => `p.a_${name}`), order) : await page.getRawMany();
    const items = rows.slice(0, input.limit).map(toEntity);
    const extras = options.extras ? new Map(items.map((item, i) => [item.id, extrasOf(rows[i] as unknown as ExtrasRow)])) : undefined;
    const encode = cursorEncoder(userId, fingerprint);
    const cursorAt = (index: number) => encode(sortValue(items[index], input.sort), items[index].id);
    return { items, nextCursor: rows.length > input.limit ? cursorAt(items.length - 1) : null, cursorAt, extras };
  }

  async counts(userId: string, input: SearchInput, scope?: Scope): Promise<SearchCounts> {
    const resolved = scope ?? (await this.scope(userId, input));
    const rows = keptCountsAnswer(input)
      ? await keptFacetRows(this.db, userId, input, resolved)
      : await this.filtered(userId, input, resolved)
          .leftJoin(Folder, "f", "f.folder_id = a.folder_id AND f.user_id = a.user_id")
          .select("a.asset_type", "asset_type")
          .addSelect("a.folder_id", "folder_id")
          .addSelect("f.name", "folder_name")
          .addSelect("GROUPING(a.asset_type)", "by_type")
          .addSelect("count(*)::int", "n")
          .groupBy("GROUPING SETS ((a.asset_type), (a.folder_id, f.name))")
          .getRawMany<FacetRow>();
    const typeRows = rows.filter((r) => Number(r.by_type) === 0);
    const folderRows = rows.filter((r) => Number(r.by_type) === 1);
    return {
      total: typeRows.reduce((sum, r) => sum + r.n, 0),
      facets: {
        assetType: Object.fromEntries(typeRows.map((r) => [r.asset_type, r.n])),
        folder: folderRows.map((r) => ({ folderId: r.folder_id, name: r.folder_name, count: r.n })).sort((x, y) => y.count - x.count),
      },
    };
  }

  /**
   * The page's rows with each one's extras, in one statement. The lookups sit outside the page's
   * own query so that they run only for the rows its LIMIT keeps: within it, PostgreSQL may
   * evaluate a cheap-looking one for every matching row before a sort.
   */
  private async withExtras(page: SelectQueryBuilder<Asset>, outerSort: string, order: "ASC" | "DESC"): Promise<Array<Record<string, unknown>>> {
    const [sql, parameters] = page.getQueryAndParameters();
    // `outerSort`: the sort key over the page's selected columns (a name with its collation).
    return this.db.query(`SELECT p.*, ${extrasSelect((name) => `p.a_${name}`)} FROM (${sql}) p ORDER BY ${outerSort} ${order}, p.a_asset_id ${order}`, parameters);
  }

  private async scope(userId: string, input: SearchInput): Promise<Scope> {
    const scope: Scope = {};
    if (input.folderId && input.folderId !== "root") {
      const folderId = await this.ownedFolder(userId, input.folderId);
      scope.folderIds = input.includeSubfolders ? await subtreeIds(this.db, folderId) : [folderId];
    }
    if (input.tags) {
      const names = input.tags.map((t) => t.toLowerCase());
      const rows: Array<{ tag_id: string; key: string }> = await this.db.query(
        `SELECT tag_id, lower(name) AS key FROM tags WHERE user_id = $1 AND lower(name) = ANY($2)`,
        [userId, names],
      );
      scope.tagIds = names.map((name) => rows.find((r) => r.key === name)?.tag_id ?? NO_TAG);
    }
    return scope;
  }

  /** `byTag`: the first tag joined as `st`, for a page that walks its links (see page). */
  private filtered(userId: string, input: SearchInput, scope: Scope, byTag = false): SelectQueryBuilder<Asset> {
    const q = this.db.getRepository(Asset).createQueryBuilder("a").where("a.user_id = :userId", { userId });
    if (input.status) q.andWhere("a.status = :status", { status: input.status });
    else q.andWhere("a.status <> 'deleted'");
    if (input.query) q.andWhere("a.name ILIKE :pattern", { pattern: `%${escapeLike(input.query)}%` });
    if (input.assetTypes) q.andWhere("a.asset_type = ANY(:types)", { types: input.assetTypes });
    if (input.folderId === "root" && !input.includeSubfolders) q.andWhere("a.folder_id IS NULL");
    // One folder as an equality, so that a newest-first page walks the folder's index in order
    // (an ANY, even of one id, reads the whole folder and sorts it).
    if (scope.folderIds?.length === 1) q.andWhere("a.folder_id = :folder", { folder: scope.folderIds[0] });
    else if (scope.folderIds) q.andWhere("a.folder_id = ANY(:folders)", { folders: scope.folderIds });
    // Every tag must be on the asset: one semi-join each, so the planner may walk the sort's
    // index and probe the links (a common tag) or start from the tag's links (a rare one); the
    // first one joined instead when the page walks its links (byTag).
    scope.tagIds?.forEach((tagId, i) => {
      if (byTag && i === 0) q.innerJoin("asset_tags", "st", "st.asset_id = a.asset_id AND st.tag_id = :tag0", { tag0: tagId });
      else q.andWhere(`EXISTS (SELECT 1 FROM asset_tags at WHERE at.asset_id = a.asset_id AND at.tag_id = :tag${i})`, { [`tag${i}`]: tagId });
    });
    if (input.createdAfter) q.andWhere("a.created_at >= :createdAfter", { createdAfter: input.createdAfter });
    if (input.createdBefore) q.andWhere("a.created_at < :createdBefore", { createdBefore: input.createdBefore });
    if (input.fileSizeMin !== undefined) q.andWhere("a.file_size >= :sizeMin", { sizeMin: input.fileSizeMin });
    if (input.fileSizeMax !== undefined) q.andWhere("a.file_size <= :sizeMax", { sizeMax: input.fileSizeMax });
    // Spelled as the colour index's expression, so a browse by colour reads that index in order.
    if (input.color) q.andWhere("a.visual IS NOT NULL AND (a.visual->>'color_family') = :color", { color: input.color });
    return q;
  }

  private async ownedFolder(userId: string, folderId: string): Promise<string> {
    return (await findOwnedFolder(this.db.manager, userId, folderId)).id;
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

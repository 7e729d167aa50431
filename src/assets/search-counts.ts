import type { DataSource } from "typeorm";
import type { AssetType } from "./asset-types";
import type { SearchInput } from "./search-input";

/** One row of a GROUPING SETS facet count: by type (`by_type` 0) or by folder (`by_type` 1). */
export interface FacetRow {
  asset_type: AssetType | null;
  folder_id: string | null;
  folder_name: string | null;
  by_type: number;
  n: number;
}

/** The kept counts' key for assets outside any folder (see migrations/1764600000000-kept-counts.ts). */
const ROOT_KEY = "00000000-0000-0000-0000-000000000000";

/**
 * Whether the kept counts can answer a search's total and facets exactly: they are kept by type,
 * folder and status (and by tag), so a name, date or size filter, or several tags, need a count
 * over the matching rows instead.
 */
export function keptCountsAnswer(input: SearchInput): boolean {
  return (
    input.query === undefined &&
    input.createdAfter === undefined &&
    input.createdBefore === undefined &&
    input.fileSizeMin === undefined &&
    input.fileSizeMax === undefined &&
    input.color === undefined &&
    (input.tags === undefined || input.tags.length === 1)
  );
}

/**
 * The facet rows of a search `keptCountsAnswer` accepts, from the kept counts: a few rows, whatever
 * the library's size. `scope` holds the folders and the tag the search already resolved for the
 * caller (a tag id is the caller's own, so its counts need no owner check).
 */
export async function keptFacetRows(
  db: DataSource,
  userId: string,
  input: SearchInput,
  scope: { folderIds?: string[]; tagIds?: string[] },
): Promise<FacetRow[]> {
  const params: unknown[] = [userId];
  const where: string[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const tagId = scope.tagIds?.[0];
  const from = `${tagId ? "asset_tag_counts" : "asset_counts"} c LEFT JOIN folders f ON f.folder_id = c.folder_key AND f.user_id = $1`;
  where.push(tagId ? `c.tag_id = ${param(tagId)}` : `c.user_id = $1`);
  where.push(input.status ? `c.status = ${param(input.status)}` : `c.status <> 'deleted'`);
  if (input.assetTypes) where.push(`c.asset_type = ANY(${param(input.assetTypes)}::asset_type[])`);
  if (input.folderId === "root" && !input.includeSubfolders) where.push(`c.folder_key = '${ROOT_KEY}'`);
  if (scope.folderIds) where.push(`c.folder_key = ANY(${param(scope.folderIds)}::uuid[])`);
  return db.query(
    `SELECT c.asset_type, nullif(c.folder_key, '${ROOT_KEY}') AS folder_id, f.name AS folder_name,
            GROUPING(c.asset_type) AS by_type, sum(c.n)::int AS n
       FROM ${from}
      WHERE ${where.join(" AND ")}
      GROUP BY GROUPING SETS ((c.asset_type), (c.folder_key, f.name))
     HAVING sum(c.n) > 0`,
    params,
  );
}

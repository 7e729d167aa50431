import type { SearchResult } from "../assets/search.service";
import type { RawSearch } from "../assets/search-input";
import type { AssetConnectionType, AssetFilterInput } from "./types/search.type";

/** GraphQL's search arguments in the shape the search parser reads (the same as REST's). */
export function rawSearch(args: { filter?: AssetFilterInput | null; sort?: string | null; order?: string | null; first?: number | null; after?: string | null }): RawSearch {
  const f = args.filter ?? {};
  return {
    query: f.query,
    asset_type: f.assetTypes ?? undefined,
    folder_id: f.folderId,
    include_subfolders: f.includeSubfolders ?? undefined,
    tags: f.tags ?? undefined,
    created_after: f.createdAfter?.toISOString(),
    created_before: f.createdBefore?.toISOString(),
    file_size_min: f.fileSizeMin,
    file_size_max: f.fileSizeMax,
    status: f.status,
    sort: args.sort,
    order: args.order,
    limit: args.first,
    cursor: args.after,
  };
}

export function toConnection(result: SearchResult): AssetConnectionType {
  return {
    edges: result.items.map((node, i) => ({ node, cursor: result.cursors[i] })),
    nodes: result.items,
    pageInfo: { hasNextPage: result.nextCursor !== null, endCursor: result.cursors[result.cursors.length - 1] ?? null },
    totalCount: result.total,
    facets: {
      assetType: Object.entries(result.facets.assetType).map(([assetType, count]) => ({ assetType: assetType as never, count: count! })),
      folder: result.facets.folder,
    },
  };
}

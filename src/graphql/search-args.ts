import type { SearchCounts, SearchPage } from "../assets/search.service";
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

/**
 * A page as a Relay connection. Its `count` runs only when a query selects `totalCount` or
 * `facets` (see ConnectionResolver): a grid scrolling through pages does not count the library
 * each time. Both fields share one count.
 */
export function toConnection(page: SearchPage, counts: () => Promise<SearchCounts>, after: string | null | undefined): AssetConnectionType {
  let counted: Promise<SearchCounts> | undefined;
  return {
    edges: page.items.map((node, i) => ({
      node,
      get cursor() {
        return page.cursorAt(i);
      },
    })),
    nodes: page.items,
    pageInfo: {
      hasNextPage: page.nextCursor !== null,
      hasPreviousPage: Boolean(after),
      get startCursor() {
        return page.items.length > 0 ? page.cursorAt(0) : null;
      },
      get endCursor() {
        return page.items.length > 0 ? page.cursorAt(page.items.length - 1) : null;
      },
    },
    count: () => (counted ??= counts()),
  };
}

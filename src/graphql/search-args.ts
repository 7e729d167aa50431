import type { SearchCounts, SearchPage } from "../assets/search.service";
import { parseSearch, type SearchField, type SearchInput } from "../assets/search-input";
import type { AssetConnectionType, AssetFilterInput } from "./types/search.type";

/** GraphQL's search arguments as the domain's search request; problems name GraphQL's arguments. */
export function parseGraphQLSearch(args: { filter?: AssetFilterInput | null; sort?: string | null; order?: string | null; first?: number | null; after?: string | null }): SearchInput {
  return parseSearch({ ...args.filter, sort: args.sort, order: args.order, limit: args.first, cursor: args.after }, (field) => GRAPHQL_NAMES[field] ?? field);
}

const GRAPHQL_NAMES: Partial<Record<SearchField, string>> = { limit: "first", cursor: "after" };

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

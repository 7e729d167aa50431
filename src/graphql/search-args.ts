import type { GraphQLResolveInfo } from "graphql";
import type { SearchCounts, SearchPage } from "../assets/search.service";
import { parseSearch, type SearchField, type SearchInput } from "../assets/search-input";
import { caller, type GraphQLContext } from "./context";
import { connectionSelection } from "./selection";
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

/** The asset fields answered from the extras (asset-loaders.ts). */
const EXTRAS_FIELDS = new Set(["folder", "tags", "versionsCount", "referencesCount", "urls", "derivatives"]);

/**
 * The caller's search as a connection, read with what the query selects of it: the extras of
 * every asset in the page's own statement, and the counts beside it when `totalCount` or
 * `facets` is selected, so the assets' fields then answer without a promise (or a statement) each.
 */
export async function selectedConnection(
  ctx: GraphQLContext,
  info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">,
  input: SearchInput,
  after: string | null | undefined,
): Promise<AssetConnectionType> {
  const { userId, loaders } = caller(ctx);
  const selected = connectionSelection(info);
  const { page, counts } = await ctx.services.search.pageWithCounts(userId, input, {
    counts: selected.connection.has("totalCount") || selected.connection.has("facets"),
    extras: [...selected.node].some((field) => EXTRAS_FIELDS.has(field)),
  });
  if (page.extras) loaders.remember(page.extras);
  return toConnection(page, () => (counts ? Promise.resolve(counts) : ctx.services.search.counts(userId, input)), after);
}

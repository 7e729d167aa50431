import { parseSearch, type SearchField, type SearchInput, type SearchRequest } from "../assets/search-input";

/** REST's names for the search fields (query string and JSON body alike). */
const REST_NAMES: Record<SearchField, string> = {
  query: "query",
  assetTypes: "asset_type",
  folderId: "folder_id",
  includeSubfolders: "include_subfolders",
  tags: "tags",
  createdAfter: "created_after",
  createdBefore: "created_before",
  fileSizeMin: "file_size_min",
  fileSizeMax: "file_size_max",
  status: "status",
  color: "color",
  sort: "sort",
  order: "order",
  limit: "limit",
  cursor: "cursor",
};

/** A REST search (snake_case query or body) parsed by the domain, its problems named in REST's fields. */
export function parseRestSearch(wire: Record<string, unknown>): SearchInput {
  const request: SearchRequest = {};
  for (const [field, name] of Object.entries(REST_NAMES) as Array<[SearchField, string]>) {
    if (wire[name] !== undefined) request[field] = wire[name];
  }
  return parseSearch(request, (field) => REST_NAMES[field]);
}

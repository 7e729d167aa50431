import { validationFailed } from "../errors";
import { ASSET_TYPES, isAssetType, type AssetType } from "./asset-types";
import { ASSET_STATUSES, type AssetStatus } from "./entities/asset.entity";
import { cleanTagNames } from "./tag.service";
import { isUuid } from "./validation";
import { COLOR_FAMILIES, type ColorFamily } from "./media/color-families";

export const SORT_FIELDS = ["name", "created_at", "file_size", "asset_type"] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export type SortOrder = "asc" | "desc";

/** A search, validated and normalised, whichever wire it came from. */
export interface SearchInput {
  query?: string;
  assetTypes?: AssetType[];
  /** A folder's id, or "root" for assets outside any folder. */
  folderId?: string;
  includeSubfolders: boolean;
  tags?: string[];
  createdAfter?: Date;
  createdBefore?: Date;
  fileSizeMin?: number;
  fileSizeMax?: number;
  status?: AssetStatus;
  /** The dominant colour's family (assets whose picture is not processed yet have none). */
  color?: ColorFamily;
  sort: SortField;
  order: SortOrder;
  limit: number;
  cursor?: string;
}

/**
 * A search as a wire hands it over, in the domain's names, values not yet checked. GraphQL's
 * arguments are these; REST maps its snake_case query string or JSON body at its edge.
 */
export interface SearchRequest {
  query?: unknown;
  assetTypes?: unknown;
  folderId?: unknown;
  includeSubfolders?: unknown;
  tags?: unknown;
  createdAfter?: unknown;
  createdBefore?: unknown;
  fileSizeMin?: unknown;
  fileSizeMax?: unknown;
  status?: unknown;
  color?: unknown;
  sort?: unknown;
  order?: unknown;
  limit?: unknown;
  cursor?: unknown;
}
export type SearchField = keyof SearchRequest;

/**
 * Validates and normalises a search. `wireName` names a field as the caller's wire spells it, so
 * that VALIDATION_FAILED's `fields` speak the caller's language (REST's `file_size_min`).
 */
export function parseSearch(raw: SearchRequest, wireName: (field: SearchField) => string = (field) => field): SearchInput {
  const problems: Record<string, string> = {};
  const problem = (field: SearchField, message: string) => (problems[wireName(field)] = message);
  const input: SearchInput = { includeSubfolders: false, sort: "created_at", order: "desc", limit: 50 };
  for (const [field, value] of Object.entries(raw) as Array<[SearchField, unknown]>) {
    // `limit: [1]` or `?limit=1&limit=2` is not a limit: only the list fields take lists.
    if (!LIST_FIELDS.has(field) && typeof value === "object" && value !== null && !(value instanceof Date)) problem(field, "must be a single value");
  }

  const query = optionalText(raw.query);
  if (query !== undefined) {
    if (query.length > 200) problem("query", "at most 200 characters");
    else input.query = query;
  }
  const types = list(raw.assetTypes);
  if (types) {
    if (types.every((t) => typeof t === "string" && isAssetType(t))) input.assetTypes = [...new Set(types as AssetType[])];
    else problem("assetTypes", `each must be one of ${ASSET_TYPES.join(", ")}`);
  }
  const folder = optionalText(raw.folderId);
  if (folder !== undefined) {
    if (folder === "root" || isUuid(folder)) input.folderId = folder.toLowerCase();
    else problem("folderId", 'must be a folder id or "root"');
  }
  const subfolders = bool(raw.includeSubfolders);
  if (subfolders === null) problem("includeSubfolders", "must be true or false");
  else input.includeSubfolders = subfolders ?? false;
  const tags = list(raw.tags);
  if (tags) {
    try {
      input.tags = cleanTagNames(tags);
    } catch {
      problem("tags", "must be a list of tag names");
    }
  }
  for (const field of ["createdAfter", "createdBefore"] as const) {
    const date = time(raw[field]);
    if (date === null) problem(field, "must be an ISO 8601 date or time");
    else if (date !== undefined) input[field] = date;
  }
  for (const field of ["fileSizeMin", "fileSizeMax"] as const) {
    const n = integer(raw[field]);
    if (n === null || (n !== undefined && n < 0)) problem(field, "must be a whole number of bytes");
    else if (n !== undefined) input[field] = n;
  }
  const status = optionalText(raw.status);
  if (status !== undefined) {
    if ((ASSET_STATUSES as readonly string[]).includes(status)) input.status = status as AssetStatus;
    else problem("status", `must be one of ${ASSET_STATUSES.join(", ")}`);
  }
  const color = optionalText(raw.color)?.toLowerCase();
  if (color !== undefined) {
    if ((COLOR_FAMILIES as readonly string[]).includes(color)) input.color = color as ColorFamily;
    else problem("color", `must be one of ${COLOR_FAMILIES.join(", ")}`);
  }
  const sort = optionalText(raw.sort);
  if (sort !== undefined) {
    if ((SORT_FIELDS as readonly string[]).includes(sort)) input.sort = sort as SortField;
    else problem("sort", `must be one of ${SORT_FIELDS.join(", ")}`);
  }
  const order = optionalText(raw.order);
  if (order !== undefined) {
    if (order === "asc" || order === "desc") input.order = order;
    else problem("order", "must be asc or desc");
  } else if (input.sort === "name" || input.sort === "asset_type") {
    input.order = "asc";
  }
  const limit = integer(raw.limit);
  if (limit === null || (limit !== undefined && (limit < 1 || limit > 100))) problem("limit", "must be an integer from 1 to 100");
  else if (limit !== undefined) input.limit = limit;
  const cursor = optionalText(raw.cursor);
  if (cursor !== undefined) input.cursor = cursor;

  if (Object.keys(problems).length > 0) throw validationFailed(problems);
  return input;
}

const LIST_FIELDS: ReadonlySet<SearchField> = new Set(["assetTypes", "tags"]);

function optionalText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text === "" ? undefined : text;
}

/** A list from JSON, or from a query string's repeated or comma-separated values. */
function list(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return value.split(",").map((v) => v.trim()).filter(Boolean);
  return [value];
}

/** A Date (GraphQL's scalar) or an ISO 8601 text; undefined when absent, null when malformed. */
function time(value: unknown): Date | undefined | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const text = optionalText(value);
  if (text === undefined) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** undefined when absent, null when malformed. */
function integer(value: unknown): number | undefined | null {
  if (value === undefined || value === null || value === "") return undefined;
  const n = typeof value === "number" ? value : /^-?\d+$/.test(String(value)) ? Number(value) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

function bool(value: unknown): boolean | undefined | null {
  if (value === undefined || value === null || value === "") return undefined;
  if (value === true || value === "true" || value === "1") return true;
  if (value === false || value === "false" || value === "0") return false;
  return null;
}

import { ASSET_TYPES } from "../../assets/asset-types";
import { COLOR_FAMILIES } from "../../assets/media/color-families";
import { DEFAULT_MAX_DISTANCE, MAX_DISTANCE, MAX_SIMILAR } from "../../assets/similar.service";
import { DERIVATIVE_KINDS } from "../../assets/entities/asset-derivative.entity";
import { ASSET_STATUSES } from "../../assets/entities/asset.entity";
import { RESOURCE_TYPES } from "../../assets/entities/asset-reference.entity";
import { SORT_FIELDS } from "../../assets/search-input";
import { binary } from "./schemas";
import { z } from "./zod";

/**
 * What /v1 requests carry: path parameters, query strings and JSON bodies. These check a value's
 * shape (its type, its closed set, its bounds) before a handler runs; the services then apply the
 * rules that need the database (an owned folder, a cursor of this search).
 */

/** An id in a path. Anything that is not one of the caller's is NOT_FOUND, a malformed id included. */
const id = (what: string) => z.string().openapi({ description: `The ${what}'s id (a UUID)`, example: "3f1c2f8e-9b7a-4c1e-8d2a-6b0e5f4a9c10" });
const versionNumber = z.coerce.number().int().min(1).max(999_999_999).openapi({ description: "A version number, from 1" });
const flag = z.enum(["true", "false", "1", "0", ""]);
const date = z.string().refine((v) => !Number.isNaN(new Date(v).getTime()), "must be an ISO 8601 date or time").openapi({ format: "date-time" });

export const AssetParams = z.object({ id: id("asset") });
export const SimilarQuery = z.object({
  max_distance: z.coerce.number().int().min(0).max(MAX_DISTANCE).optional().openapi({ description: `Most bits the perceptual hashes may differ in, 0 to ${MAX_DISTANCE} (default ${DEFAULT_MAX_DISTANCE}: resized, re-encoded and slightly cropped copies)` }),
  limit: z.coerce.number().int().min(1).max(MAX_SIMILAR).optional().openapi({ description: `At most this many, 1 to ${MAX_SIMILAR} (default 20)` }),
});
/** A path naming no derivative is NOT_FOUND like any other missing file, so the kinds are documented, not enforced. */
const kind = z.string().openapi({ description: `Which derivative: ${DERIVATIVE_KINDS.join(", ")} (which exist depends on the asset's type)`, examples: [...DERIVATIVE_KINDS] });
export const AssetDerivativeParams = z.object({ id: id("asset"), kind });
export const VersionParams = z.object({ id: id("asset"), v: versionNumber });
export const VersionDerivativeParams = VersionParams.extend({ kind: AssetDerivativeParams.shape.kind });
export const FolderParams = z.object({ id: id("folder") });
export const TagParams = z.object({ id: id("tag") });
export const UploadParams = z.object({ id: id("resumable upload") });
export const ResourceParams = z.object({
  resource_type: z.enum(RESOURCE_TYPES).openapi({ description: "What kind of resource uses the assets" }),
  resource_id: z.string().openapi({ description: "The resource's id (a UUID)" }),
});
export const SignedFileParams = z.object({
  asset_id: id("asset"),
  version: z.string().openapi({ description: "The version number the URL names" }),
  variant: z.string().openapi({ description: '"original" or a derivative kind' }),
});
export const SignedFileQuery = z.object({
  user: z.string().optional().openapi({ description: "The owner the URL was signed for" }),
  expires: z.string().optional().openapi({ description: "Expiry, in seconds since the epoch" }),
  sig: z.string().optional().openapi({ description: "HMAC-SHA256 signature over the other parts" }),
});

const searchText = {
  query: z.string().max(200).optional().openapi({ description: "Words matched against name, description, filename and tags (at most 200 characters)" }),
  folder_id: z.string().optional().openapi({ description: 'A folder id, or "root" for assets outside any folder' }),
  cursor: z.string().optional().openapi({ description: "The previous page's next_cursor" }),
  status: z.enum(ASSET_STATUSES).optional(),
  color: z.enum(COLOR_FAMILIES).optional().openapi({ description: "The dominant colour's family (visual.color_family)" }),
  sort: z.enum(SORT_FIELDS).optional().openapi({ description: "Sort field (default created_at)" }),
  order: z.enum(["asc", "desc"]).optional().openapi({ description: "desc by default; asc for name and asset_type" }),
  created_after: date.optional(),
  created_before: date.optional(),
};

/** GET /v1/assets and a folder's contents: the search as query parameters (lists comma-separated or repeated). */
export const SearchQuery = z.object({
  ...searchText,
  asset_type: z.union([z.string(), z.array(z.string())]).optional().openapi({ description: `One or more of ${ASSET_TYPES.join(", ")}` }),
  tags: z.union([z.string(), z.array(z.string())]).optional().openapi({ description: "Tag names; an asset must carry every one" }),
  include_subfolders: flag.optional(),
  file_size_min: z.coerce.number().int().min(0).optional(),
  file_size_max: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional().openapi({ description: "Page size, 1 to 100 (default 50)" }),
});

/** POST /v1/assets/search: the same search as a JSON body, where null means absent. */
export const SearchBody = z
  .object({
    ...(Object.fromEntries(Object.entries(searchText).map(([name, schema]) => [name, schema.nullable()])) as { [K in keyof typeof searchText]: z.ZodNullable<(typeof searchText)[K]> }),
    asset_type: z.array(z.enum(ASSET_TYPES)).nullish(),
    tags: z.array(z.string()).nullish(),
    include_subfolders: z.boolean().nullish(),
    file_size_min: z.number().int().min(0).nullish(),
    file_size_max: z.number().int().min(0).nullish(),
    limit: z.number().int().min(1).max(100).nullish(),
  })
  .openapi("SearchRequest");

export const ForceQuery = z.object({ force: flag.optional().openapi({ description: "true: go ahead although the thing is in use (references removed) or not empty" }) });
export const ExpiresQuery = z.object({ expires_in: z.coerce.number().int().min(1).max(999_999_999).optional().openapi({ description: "Lifetime of the signed URLs, in seconds" }) });
export const CompareQuery = z.object({ from: versionNumber, to: versionNumber });
export const FolderListQuery = z.object({ parent_id: z.string().optional().openapi({ description: 'Only this folder\'s children ("root" for top-level folders); the whole tree without it' }) });

const nullableText = z.string().nullable().optional();
export const AssetChange = z.object({ name: z.string().optional(), description: nullableText, folder_id: nullableText }).openapi("AssetChange");
export const FolderCreation = z.object({ name: z.string(), parent_folder_id: nullableText, description: nullableText, color: nullableText }).openapi("FolderCreation");
export const FolderChange = FolderCreation.partial().openapi("FolderChange");
export const TagCreation = z.object({ name: z.string(), color: nullableText }).openapi("TagCreation");
export const TagChange = TagCreation.partial().openapi("TagChange");
export const TagNames = z.object({ tags: z.array(z.string()) }).openapi("TagNames");
export const BulkTagging = z.object({ asset_ids: z.array(z.string()), tags: z.array(z.string()) }).openapi("BulkTagging");
export const ReferenceSet = z
  .object({ references: z.array(z.object({ asset_id: z.string(), usage_type: z.string() })) })
  .openapi("ReferenceSet", { description: "Every asset the resource uses now; the previous set is replaced" });

const file = binary.openapi({ description: "The file (its extension decides its type)" });
export const AssetUploadForm = z
  .object({
    file,
    name: z.string().optional(),
    description: z.string().optional(),
    asset_type: z.enum(ASSET_TYPES).optional().openapi({ description: "Needed only where an extension could be two types (SVG, PNG: image or logo)" }),
    folder_id: z.string().optional(),
    tags: z.string().optional().openapi({ description: "Comma-separated tag names" }),
    on_duplicate: z.enum(["reject", "keep", "link"]).optional().openapi({ description: "What to do when the same bytes are already yours (default reject: 409)" }),
    find_similar: z.enum(["true", "false"]).optional().openapi({ description: "true: hash the picture now and answer with its near-duplicates (`near_duplicates`); costs one more decode of the file" }),
  })
  .openapi("AssetUploadForm");
export const VersionUploadForm = z.object({ file, change_description: z.string().optional() }).openapi("VersionUploadForm");

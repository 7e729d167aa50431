import { ASSET_TYPES } from "../../assets/asset-types";
import { ASSET_STATUSES } from "../../assets/entities/asset.entity";
import { DERIVATIVE_KINDS } from "../../assets/entities/asset-derivative.entity";
import { RESOURCE_TYPES } from "../../assets/entities/asset-reference.entity";
import { RESUMABLE_UPLOAD_STATUSES } from "../../assets/resumable/resumable-upload.repository";
import { COLOR_FAMILIES } from "../../assets/media/color-families";
import { z } from "./zod";

/**
 * The /v1 response bodies as zod schemas, each a named component of the OpenAPI document. Objects
 * are strict (no undocumented field), so the contract test catches a field added without its doc.
 */
export const uuid = z.uuid();
export const time = z.iso.datetime({ offset: true });
export const json = z.record(z.string(), z.unknown());
const counts = z.array(z.strictObject({ key: z.string(), count: z.number().int() }));


/** API.md's error: a stable code, a message for people, and details naming what was wrong. */
const errorOf = (code: z.ZodType) => z.strictObject({ code, message: z.string(), details: json });

/** The error envelope of an answer that can carry only `codes`. */
export const errorBody = (codes: readonly [string, ...string[]]) => z.strictObject({ error: errorOf(z.enum(codes)) });

/** A file's bytes, in a request or an answer. */
export const binary = z.string().openapi({ format: "binary" });

export const Urls = z.strictObject({ permanent: z.string(), download: z.string(), thumbnail: z.string().nullable(), preview: z.string().nullable() }).openapi("Urls");

export const Derivative = z
  .strictObject({ kind: z.enum(DERIVATIVE_KINDS), mime_type: z.string(), file_size: z.number().int(), width: z.number().int().nullable(), height: z.number().int().nullable(), url: z.string() })
  .openapi("Derivative");

const hexColor = z.string().regex(/^#[0-9a-f]{6}$/);
export const Visual = z
  .strictObject({
    thumbhash: z.string().openapi({ description: "ThumbHash, base64: decode with the thumbhash package's thumbHashToDataURL for a blurred placeholder" }),
    dominant_color: hexColor,
    palette: z.array(hexColor).openapi({ description: "Up to five distinct colours, most common first" }),
    color_family: z.enum(COLOR_FAMILIES).openapi({ description: "The dominant colour's family; search filters on it (`color`)" }),
    perceptual_hash: z.string().regex(/^[0-9a-f]{16}$/).openapi({ description: "64-bit pHash, hex: near-duplicates differ in few bits" }),
  })
  .openapi("Visual", { description: "What the picture looks like (images, logos, video posters, font specimens, audio cover art); null until processed or with no picture" });

export const Asset = z
  .strictObject({
    asset_id: uuid,
    name: z.string(),
    description: z.string().nullable(),
    asset_type: z.enum(ASSET_TYPES),
    mime_type: z.string(),
    file_extension: z.string(),
    file_size: z.number().int(),
    original_filename: z.string(),
    checksum: z.string().regex(/^[0-9a-f]{64}$/),
    status: z.enum(ASSET_STATUSES),
    status_reason: z.string().nullable(),
    metadata: json,
    visual: Visual.nullable(),
    focal_point: z.strictObject({ x: z.number(), y: z.number() }).nullable().openapi({ description: "Where cover renders keep the subject, 0..1 from the left and top; null: the centre" }),
    folder: z.strictObject({ folder_id: uuid, name: z.string() }).nullable(),
    tags: z.array(z.strictObject({ tag_id: uuid, name: z.string(), color: z.string().nullable() })),
    current_version: z.number().int(),
    versions_count: z.number().int(),
    references_count: z.number().int(),
    urls: Urls,
    derivatives: z.array(Derivative),
    created_at: time,
    updated_at: time,
  })
  .openapi("Asset");

// Spelt out whole (not allOf Asset): Asset's additionalProperties: false would refuse the extra field.
export const UploadedAsset = z.strictObject({
  ...Asset.shape,
  near_duplicates: z
    .array(z.strictObject({ asset_id: uuid, distance: z.number().int().openapi({ description: "Bits in which the perceptual hashes differ" }) }))
    .nullable()
    .openapi({ description: "With find_similar=true: your assets whose picture looks like this one's (at most 5, nearest first; empty when none or the type has no picture). Otherwise null: the `ready` event names them." }),
}).openapi("UploadedAsset");

export const SimilarList = z
  .strictObject({ items: z.array(z.strictObject({ asset: Asset, distance: z.number().int().openapi({ description: "Bits in which the perceptual hashes differ" }) })) })
  .openapi("SimilarList");

export const SearchResult = z
  .strictObject({
    items: z.array(Asset),
    total: z.number().int(),
    next_cursor: z.string().nullable(),
    facets: z.strictObject({
      asset_type: z.record(z.string(), z.number().int()),
      folder: z.array(z.strictObject({ folder_id: uuid.nullable(), name: z.string().nullable(), count: z.number().int() })),
    }),
  })
  .openapi("SearchResult");

export const Folder = z
  .strictObject({
    folder_id: uuid,
    name: z.string(),
    parent_folder_id: uuid.nullable(),
    description: z.string().nullable(),
    color: z.string().nullable(),
    asset_count: z.number().int(),
    depth: z.number().int().optional(),
    created_at: time,
    updated_at: time,
  })
  .openapi("Folder");

export const FolderList = z.strictObject({ items: z.array(Folder) }).openapi("FolderList");
export const FolderContents = z.strictObject({ folder: Folder, subfolders: z.array(Folder), assets: SearchResult }).openapi("FolderContents");
export const FolderDeletion = z.strictObject({ deleted_folders: z.number().int(), deleted_assets: z.number().int() }).openapi("FolderDeletion");

export const Tag = z.strictObject({ tag_id: uuid, name: z.string(), color: z.string().nullable(), usage_count: z.number().int(), created_at: time }).openapi("Tag");
export const TagList = z.strictObject({ items: z.array(Tag) }).openapi("TagList");
export const TagsApplied = z.strictObject({ tags: z.array(Tag) }).openapi("TagsApplied");

export const Version = z
  .strictObject({
    version_id: uuid,
    version_number: z.number().int(),
    is_current: z.boolean(),
    file_size: z.number().int(),
    checksum: z.string(),
    mime_type: z.string(),
    file_extension: z.string(),
    original_filename: z.string(),
    metadata: json,
    change_description: z.string().nullable(),
    created_by: uuid,
    created_at: time,
    urls: z.strictObject({ download: z.string(), preview: z.string() }),
  })
  .openapi("Version");
export const VersionList = z.strictObject({ items: z.array(Version) }).openapi("VersionList");
export const VersionUpload = z.strictObject({ version: Version, asset: Asset }).openapi("VersionUpload");

export const Comparison = z
  .strictObject({
    from: z.number().int(),
    to: z.number().int(),
    metadata: z.strictObject({ added: json, removed: json, changed: json }),
    size: z.strictObject({ from: z.number().int(), to: z.number().int(), change_bytes: z.number().int(), change_percent: z.number() }),
    previews: z.strictObject({ from: z.string(), to: z.string() }).nullable(),
  })
  .openapi("Comparison");

export const Reference = z
  .strictObject({ reference_id: uuid, asset_id: uuid, resource_type: z.enum(RESOURCE_TYPES), resource_id: uuid, usage_type: z.string(), created_at: time })
  .openapi("Reference");
export const ReferenceList = z.strictObject({ items: z.array(Reference) }).openapi("ReferenceList");
export const Removed = z.strictObject({ removed: z.number().int() }).openapi("Removed");

export const Stats = z
  .strictObject({
    totals: z.strictObject({ assets: z.number().int(), bytes: z.number().int(), by_type: z.array(z.strictObject({ asset_type: z.string(), assets: z.number().int(), bytes: z.number().int() })) }),
    references: z.strictObject({ total: z.number().int(), by_resource_type: counts, by_usage_type: counts }),
    most_used: z.array(z.strictObject({ asset_id: uuid, name: z.string(), asset_type: z.string(), references: z.number().int(), projects: z.array(uuid) })),
    recent_uses: z.array(z.strictObject({ asset_id: uuid, name: z.string(), resource_type: z.string(), resource_id: uuid, usage_type: z.string(), created_at: time })),
  })
  .openapi("Stats");

export const ResumableUpload = z
  .strictObject({
    upload_id: uuid,
    status: z.enum(RESUMABLE_UPLOAD_STATUSES),
    offset: z.number().int(),
    length: z.number().int(),
    filename: z.string(),
    asset_id: uuid.nullable(),
    version_number: z.number().int().nullable(),
    linked: z.boolean(),
    // A union, not .nullable(): zod-to-openapi would write allOf [$ref, type [object, null]], which no null passes.
    asset: z.union([Asset, z.null()]),
    error: errorOf(z.string()).nullable(),
    created_at: time,
    expires_at: time,
    finished_at: time.nullable(),
  })
  .openapi("ResumableUpload");

const signed = z.strictObject({ url: z.string(), expires_at: time });
export const SignedUrls = z.strictObject({ permanent: z.string(), download: signed, thumbnail: signed.nullable(), preview: signed.nullable() }).openapi("SignedUrls");

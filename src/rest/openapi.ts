/**
 * The /v1 API as an OpenAPI 3.1 document (JSON Schema 2020-12), served at /v1/openapi.json. A
 * test walks every path with real uploads and validates each live response against it, so the
 * document and the code cannot drift apart unnoticed.
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: "string" };
const int: Schema = { type: "integer" };
const num: Schema = { type: "number" };
const bool: Schema = { type: "boolean" };
const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: "null" }] });
const time: Schema = { type: "string", format: "date-time" };
const uuid: Schema = { type: "string", format: "uuid" };
const object = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: "object",
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
});
const list = (items: Schema): Schema => ({ type: "array", items });
const counts = list(object({ key: str, count: int }));

const schemas: Record<string, Schema> = {
  Error: object({ error: object({ code: str, message: str, details: { type: "object" } }) }),
  Urls: object({ permanent: str, download: str, thumbnail: nullable(str), preview: nullable(str) }),
  Derivative: object({ kind: { enum: ["thumbnail", "preview", "waveform", "clip"] }, mime_type: str, file_size: int, width: nullable(int), height: nullable(int), url: str }),
  Asset: object({
    asset_id: uuid,
    name: str,
    description: nullable(str),
    asset_type: { enum: ["image", "audio", "video", "font", "logo"] },
    mime_type: str,
    file_extension: str,
    file_size: int,
    original_filename: str,
    checksum: { type: "string", pattern: "^[0-9a-f]{64}$" },
    status: { enum: ["processing", "ready", "failed", "deleted"] },
    status_reason: nullable(str),
    metadata: { type: "object" },
    folder: nullable(object({ folder_id: uuid, name: str })),
    tags: list(object({ tag_id: uuid, name: str, color: nullable(str) })),
    current_version: int,
    versions_count: int,
    references_count: int,
    urls: ref("Urls"),
    derivatives: list(ref("Derivative")),
    created_at: time,
    updated_at: time,
  }),
  SearchResult: object({
    items: list(ref("Asset")),
    total: int,
    next_cursor: nullable(str),
    facets: object({ asset_type: { type: "object", additionalProperties: int }, folder: list(object({ folder_id: nullable(uuid), name: nullable(str), count: int })) }),
  }),
  Folder: object(
    { folder_id: uuid, name: str, parent_folder_id: nullable(uuid), description: nullable(str), color: nullable(str), asset_count: int, depth: int, created_at: time, updated_at: time },
    ["depth"],
  ),
  FolderList: object({ items: list(ref("Folder")) }),
  FolderContents: object({ folder: ref("Folder"), subfolders: list(ref("Folder")), assets: ref("SearchResult") }),
  FolderDeletion: object({ deleted_folders: int, deleted_assets: int }),
  Tag: object({ tag_id: uuid, name: str, color: nullable(str), usage_count: int, created_at: time }),
  TagList: object({ items: list(ref("Tag")) }),
  TagsApplied: object({ tags: list(ref("Tag")) }),
  Version: object({
    version_id: uuid,
    version_number: int,
    is_current: bool,
    file_size: int,
    checksum: str,
    mime_type: str,
    file_extension: str,
    original_filename: str,
    metadata: { type: "object" },
    change_description: nullable(str),
    created_by: uuid,
    created_at: time,
    urls: object({ download: str, preview: str }),
  }),
  VersionList: object({ items: list(ref("Version")) }),
  VersionUpload: object({ version: ref("Version"), asset: ref("Asset") }),
  Comparison: object({
    from: int,
    to: int,
    metadata: object({ added: { type: "object" }, removed: { type: "object" }, changed: { type: "object" } }),
    size: object({ from: int, to: int, change_bytes: int, change_percent: num }),
    previews: nullable(object({ from: str, to: str })),
  }),
  Reference: object({ reference_id: uuid, asset_id: uuid, resource_type: { enum: ["project", "template", "batch"] }, resource_id: uuid, usage_type: str, created_at: time }),
  ReferenceList: object({ items: list(ref("Reference")) }),
  Removed: object({ removed: int }),
  Stats: object({
    totals: object({ assets: int, bytes: int, by_type: list(object({ asset_type: str, assets: int, bytes: int })) }),
    references: object({ total: int, by_resource_type: counts, by_usage_type: counts }),
    most_used: list(object({ asset_id: uuid, name: str, asset_type: str, references: int, projects: list(uuid) })),
    recent_uses: list(object({ asset_id: uuid, name: str, resource_type: str, resource_id: uuid, usage_type: str, created_at: time })),
  }),
  ResumableUpload: object({
    upload_id: uuid,
    status: { enum: ["receiving", "processing", "completed", "failed"] },
    offset: int,
    length: int,
    filename: str,
    asset_id: nullable(uuid),
    version_number: nullable(int),
    linked: bool,
    asset: nullable(ref("Asset")),
    error: nullable(object({ code: str, message: str, details: { type: "object" } })),
    created_at: time,
    expires_at: time,
    finished_at: nullable(time),
  }),
  SignedUrls: object({
    permanent: str,
    download: object({ url: str, expires_at: time }),
    thumbnail: nullable(object({ url: str, expires_at: time })),
    preview: nullable(object({ url: str, expires_at: time })),
  }),
};

const json = (schema: string) => ({ content: { "application/json": { schema: ref(schema) } } });
const file = { content: { "application/octet-stream": { schema: { type: "string", contentEncoding: "binary" } } } };
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), { description: "error", ...json("Error") }]));
const op = (summary: string, ok: Record<string, unknown>, ...errorCodes: number[]) => ({
  summary,
  responses: { ...ok, ...errors(401, ...errorCodes) },
});
const ok = (status: number, schema: string) => ({ [String(status)]: { description: "ok", ...json(schema) } });
const noContent = { "204": { description: "done" } };
const binary = { "200": { description: "the file", ...file }, "206": { description: "a byte range", ...file }, "304": { description: "not modified" }, "416": { description: "range not satisfiable" } };

const tusHeaders = {
  "Tus-Resumable": { schema: { const: "1.0.0" } },
  "Upload-Offset": { schema: { type: "string", pattern: "^[0-9]+$" } },
  "Upload-Expires": { schema: str },
};

const paths: Record<string, Record<string, unknown>> = {
  "/v1/assets/upload": { post: op("Upload a new asset (multipart)", { ...ok(201, "Asset"), ...ok(200, "Asset") }, 400, 404, 409, 413, 415, 422) },
  "/v1/assets": { get: op("Search with query parameters", ok(200, "SearchResult"), 400, 404) },
  "/v1/assets/search": { post: op("Search with a JSON body", ok(200, "SearchResult"), 400, 404) },
  "/v1/assets/stats": { get: op("Usage statistics", ok(200, "Stats")) },
  "/v1/assets/{id}": {
    get: op("One asset", ok(200, "Asset"), 404),
    put: op("Change name, description, folder", ok(200, "Asset"), 400, 404),
    delete: op("Soft delete (force for referenced assets)", ok(200, "Asset"), 404, 409),
  },
  "/v1/assets/{id}/download": { get: op("The current file", binary, 404) },
  "/v1/assets/{id}/restore": { post: op("Bring back a soft-deleted asset", ok(200, "Asset"), 404) },
  "/v1/assets/{id}/urls": { get: op("Fresh permanent and signed URLs", ok(200, "SignedUrls"), 400, 404) },
  "/v1/assets/{id}/derivatives/{kind}": { get: op("A derivative of the current version", binary, 404) },
  "/v1/assets/{id}/versions": {
    get: op("History, newest first", ok(200, "VersionList"), 404, 409),
    post: op("Upload a new version (multipart)", ok(201, "VersionUpload"), 400, 404, 409, 413, 415, 422),
  },
  "/v1/assets/{id}/versions/compare": { get: op("Compare two versions", ok(200, "Comparison"), 400, 404) },
  "/v1/assets/{id}/versions/{v}": {
    get: op("One version", ok(200, "Version"), 400, 404),
    delete: op("Delete a version that is not current", noContent, 400, 404, 409),
  },
  "/v1/assets/{id}/versions/{v}/download": { get: op("A version's file", binary, 404) },
  "/v1/assets/{id}/versions/{v}/derivatives/{kind}": { get: op("A version's derivative", binary, 404) },
  "/v1/assets/{id}/versions/{v}/rollback": { post: op("Make a version current", ok(200, "Asset"), 400, 404, 409) },
  "/v1/assets/{id}/references": { get: op("Where the asset is used", ok(200, "ReferenceList"), 404) },
  "/v1/assets/{id}/tags": {
    post: op("Add tags by name", ok(200, "TagsApplied"), 400, 404),
    delete: op("Remove tags by name", noContent, 400, 404),
  },
  "/v1/assets/folders": {
    get: op("The folder tree, or one folder's children", ok(200, "FolderList"), 404),
    post: op("Create a folder", ok(201, "Folder"), 400, 404, 409, 422),
  },
  "/v1/assets/folders/{id}": {
    put: op("Rename, move or describe a folder", ok(200, "Folder"), 400, 404, 409, 422),
    delete: op("Delete a folder and its subfolders", ok(200, "FolderDeletion"), 404, 409),
  },
  "/v1/assets/folders/{id}/contents": { get: op("Subfolders and a page of assets", ok(200, "FolderContents"), 400, 404) },
  "/v1/assets/tags": {
    get: op("All tags", ok(200, "TagList")),
    post: op("Create a tag", ok(201, "Tag"), 400, 409),
  },
  "/v1/assets/tags/bulk": { post: op("Tag many assets, all or nothing", ok(200, "TagsApplied"), 400, 404) },
  "/v1/assets/tags/{id}": {
    put: op("Rename or recolour a tag", ok(200, "Tag"), 400, 404, 409),
    delete: op("Delete a tag", ok(200, "Tag"), 404),
  },
  "/v1/references/{resource_type}/{resource_id}": {
    put: op("Replace a resource's references (a save)", ok(200, "ReferenceList"), 400, 404),
    delete: op("Remove a resource's references (a delete)", ok(200, "Removed"), 400),
  },
  "/v1/uploads": {
    options: {
      summary: "tus discovery: versions, extensions, maximum size, checksum algorithms (no token)",
      security: [],
      responses: { "204": { description: "Tus-Version, Tus-Extension, Tus-Max-Size and Tus-Checksum-Algorithm headers" } },
    },
    post: {
      summary:
        "tus creation (and creation-with-upload). Upload-Length is required and checked against the type's limit; Upload-Metadata carries filename and the multipart upload's fields (name, description, asset_type, folder_id, tags, on_duplicate), or asset_id and change_description for a new version",
      responses: { "201": { description: "created; Location is the upload's URL", headers: tusHeaders }, ...errors(400, 401, 404, 413, 415) },
    },
  },
  "/v1/uploads/{id}": {
    options: { summary: "tus discovery (no token)", security: [], responses: { "204": { description: "tus headers" } } },
    head: { summary: "tus: how many bytes have arrived (Upload-Offset)", responses: { "200": { description: "Upload-Offset and Upload-Length headers", headers: tusHeaders }, "404": { description: "no such upload of yours" }, "401": { description: "no valid token" } } },
    patch: {
      summary: "tus: the next bytes at Upload-Offset (application/offset+octet-stream), optionally with Upload-Checksum: sha256 <base64>; the last chunk answers once the upload has been processed",
      responses: {
        "204": { description: "stored; the new Upload-Offset", headers: tusHeaders },
        "409": { description: "Upload-Offset is not where the upload stands, or it has already received all its bytes" },
        "460": { description: "the chunk does not match its Upload-Checksum; nothing of it was kept" },
        ...errors(400, 401, 404),
      },
    },
    delete: { summary: "tus termination: the bytes received so far and the upload are removed", responses: { "204": { description: "ended" }, ...errors(401, 404, 409) } },
    get: op("What became of the upload: receiving (with its offset), processing, completed (the asset) or failed (the API.md error)", ok(200, "ResumableUpload"), 404),
  },
  "/v1/files/{asset_id}/{version}/{variant}": {
    get: {
      summary: "A signed URL's file (no token)",
      security: [],
      responses: {
        ...binary,
        302: { description: "With S3_DOWNLOAD_REDIRECT=true: the store's own presigned GET, with the same lifetime, type and file name", headers: { Location: { schema: { type: "string", format: "uri" } } } },
        ...errors(403, 404),
      },
    },
  },
};

export const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: { title: "Asset Library /v1", version: "1.0.0", description: "The REST shim over the same services as the GraphQL API at /graphql." },
  jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
  security: [{ bearer: [] }],
  paths,
  components: { schemas, securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
};

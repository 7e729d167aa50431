import { expect } from "chai";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { api, FIXTURES, gql, newUser, uploadRest, type TestUser } from "./helpers";
import { seedAssets, type SeedAsset } from "./factories";

/**
 * Search against a library whose answers are computed here, independently: every filter alone and
 * in combination, in every sort order both ways, paged three at a time through cursors.
 */
const TYPE_ORDER = ["image", "audio", "video", "font", "logo"];
const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n, 12));

interface Row extends Required<Pick<SeedAsset, "name" | "assetType" | "fileSize" | "createdAt" | "status" | "tags">> {
  id: string;
  folder: "f1" | "f2" | "f3" | null;
}

type Filters = {
  query?: string;
  asset_type?: string[];
  folder_id?: "f1" | "f2" | "f3" | "root";
  include_subfolders?: boolean;
  tags?: string[];
  created_after?: Date;
  created_before?: Date;
  file_size_min?: number;
  file_size_max?: number;
  status?: string;
};

function matches(row: Row, f: Filters): boolean {
  if (f.status ? row.status !== f.status : row.status === "deleted") return false;
  if (f.query && !row.name.toLowerCase().includes(f.query.toLowerCase())) return false;
  if (f.asset_type && !f.asset_type.includes(row.assetType)) return false;
  if (f.folder_id) {
    const folders: Array<string | null> = f.folder_id === "root" ? [null] : f.include_subfolders && f.folder_id === "f1" ? ["f1", "f2"] : [f.folder_id];
    if (!(f.folder_id === "root" && f.include_subfolders) && !folders.includes(row.folder)) return false;
  }
  if (f.tags && !f.tags.every((t) => row.tags.map((x) => x.toLowerCase()).includes(t.toLowerCase()))) return false;
  if (f.created_after && row.createdAt < f.created_after) return false;
  if (f.created_before && row.createdAt >= f.created_before) return false;
  if (f.file_size_min !== undefined && row.fileSize < f.file_size_min) return false;
  if (f.file_size_max !== undefined && row.fileSize > f.file_size_max) return false;
  return true;
}

function sortKey(row: Row, sort: string): string | number {
  if (sort === "name") return row.name;
  if (sort === "created_at") return row.createdAt.getTime();
  if (sort === "file_size") return row.fileSize;
  return TYPE_ORDER.indexOf(row.assetType);
}

/** Names compare as the service sorts them: ICU at base strength, case and accents ignored. */
const NAME_ORDER = new Intl.Collator("und", { sensitivity: "base" });

function ordered(rows: Row[], sort: string, order: "asc" | "desc"): string[] {
  const sign = order === "asc" ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const x = sortKey(a, sort);
      const y = sortKey(b, sort);
      const byKey = typeof x === "string" && typeof y === "string" ? NAME_ORDER.compare(x, y) : x === y ? 0 : x < y ? -1 : 1;
      if (byKey !== 0) return byKey * sign;
      return (a.id < b.id ? -1 : 1) * sign;
    })
    .map((r) => r.id);
}

describe("search", function () {
  this.timeout(120_000);
  let user: TestUser;
  const folderIds: Record<string, string> = {};
  const rows: Row[] = [];

  before(async () => {
    user = await newUser();
    folderIds.f1 = (await api(user, "POST", "/v1/assets/folders", { name: "brand" })).body.folder_id;
    folderIds.f2 = (await api(user, "POST", "/v1/assets/folders", { name: "logos", parent_folder_id: folderIds.f1 })).body.folder_id;
    folderIds.f3 = (await api(user, "POST", "/v1/assets/folders", { name: "music" })).body.folder_id;
    const specs: Array<Omit<Row, "id">> = [
      { name: "sunsetlogo", assetType: "image", fileSize: 5000, createdAt: day(1), folder: "f1", status: "ready", tags: ["brand"] },
      { name: "logomark", assetType: "logo", fileSize: 1200, createdAt: day(2), folder: "f2", status: "ready", tags: ["brand", "social"] },
      { name: "logomark", assetType: "logo", fileSize: 1200, createdAt: day(2), folder: "f2", status: "ready", tags: [] },
      { name: "intromusic", assetType: "audio", fileSize: 900000, createdAt: day(3), folder: "f3", status: "ready", tags: ["intro"] },
      { name: "outromusic", assetType: "audio", fileSize: 800000, createdAt: day(4), folder: "f3", status: "processing", tags: ["intro", "social"] },
      { name: "introclip", assetType: "video", fileSize: 12000000, createdAt: day(5), folder: null, status: "ready", tags: ["Intro"] },
      { name: "brand50%", assetType: "image", fileSize: 5000, createdAt: day(6), folder: "f1", status: "ready", tags: ["brand"] },
      { name: "brand500", assetType: "image", fileSize: 7000, createdAt: day(6), folder: null, status: "ready", tags: [] },
      { name: "brand_guide", assetType: "font", fileSize: 300000, createdAt: day(7), folder: "f1", status: "failed", tags: ["brand"] },
      { name: "sunrise", assetType: "image", fileSize: 4000, createdAt: day(8), folder: null, status: "ready", tags: ["social"] },
      { name: "oldlogo", assetType: "logo", fileSize: 2000, createdAt: day(9), folder: "f2", status: "deleted", tags: ["brand"] },
      { name: "oldintro", assetType: "video", fileSize: 2000, createdAt: day(10), folder: null, status: "deleted", tags: ["intro"] },
      { name: "typeface", assetType: "font", fileSize: 150000, createdAt: day(11), folder: "f3", status: "ready", tags: [] },
      { name: "sunsetwide", assetType: "image", fileSize: 5000, createdAt: day(12), folder: "f2", status: "ready", tags: ["social", "brand"] },
      { name: "ambient", assetType: "audio", fileSize: 5000, createdAt: day(13), folder: null, status: "ready", tags: [] },
      { name: "zebra", assetType: "video", fileSize: 100, createdAt: day(14), folder: "f1", status: "ready", tags: ["social"] },
    ];
    for (const spec of specs) {
      const id = randomUUID();
      await seedAssets(user.userId, [{ ...spec, id, folderId: spec.folder ? folderIds[spec.folder] : null }]);
      rows.push({ ...spec, id });
    }
    // Another library with look-alike assets: none of it may ever show up.
    const stranger = await newUser();
    await seedAssets(stranger.userId, specs.map((s) => ({ ...s, folderId: null })));
  });

  const filterSets: Array<[string, Filters]> = [
    ["no filter", {}],
    ["name substring, any case", { query: "LOGO" }],
    ["name with a literal %", { query: "50%" }],
    ["one type", { asset_type: ["image"] }],
    ["several types", { asset_type: ["audio", "video"] }],
    ["a folder", { folder_id: "f1" }],
    ["a folder with its subfolders", { folder_id: "f1", include_subfolders: true }],
    ["the root", { folder_id: "root" }],
    ["one tag", { tags: ["brand"] }],
    ["all of two tags", { tags: ["SOCIAL", "brand"] }],
    ["created after", { created_after: day(6) }],
    ["created before", { created_before: day(6) }],
    ["size at least", { file_size_min: 5000 }],
    ["size at most", { file_size_max: 5000 }],
    ["deleted only", { status: "deleted" }],
    ["failed only", { status: "failed" }],
    ["name + type", { query: "sun", asset_type: ["image"] }],
    ["folder tree + tag + size", { folder_id: "f1", include_subfolders: true, tags: ["brand"], file_size_max: 5000 }],
    ["date window + types", { created_after: day(2), created_before: day(12), asset_type: ["image", "audio", "logo"] }],
    ["everything at once", { query: "o", asset_type: ["image", "logo", "audio"], folder_id: "f1", include_subfolders: true, tags: ["brand"], created_after: day(1), created_before: day(13), file_size_min: 1000, file_size_max: 6000 }],
    ["nothing matches", { query: "nomatch" }],
  ];

  const wire = (f: Filters) => ({
    ...f,
    folder_id: f.folder_id === "root" ? "root" : f.folder_id ? folderIds[f.folder_id] : undefined,
    created_after: f.created_after?.toISOString(),
    created_before: f.created_before?.toISOString(),
  });

  for (const [name, filters] of filterSets) {
    it(`${name}: every sort, both orders, paged by cursor, with exact totals and facets`, async () => {
      const expected = rows.filter((r) => matches(r, filters));
      expect(expected.length > 0, "the data set answers this filter with something").to.equal(name !== "nothing matches");
      for (const sort of ["name", "created_at", "file_size", "asset_type"]) {
        for (const order of ["asc", "desc"] as const) {
          const seen: string[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const response: { status: number; body: any } = await api(user, "POST", "/v1/assets/search", { ...wire(filters), sort, order, limit: 3, cursor });
            expect(response.status, JSON.stringify(response.body)).to.equal(200);
            expect(response.body.total).to.equal(expected.length);
            seen.push(...response.body.items.map((a: { asset_id: string }) => a.asset_id));
            cursor = response.body.next_cursor;
            if (++pages === 1) {
              const types: Record<string, number> = {};
              const folders: Record<string, number> = {};
              for (const r of expected) {
                types[r.assetType] = (types[r.assetType] ?? 0) + 1;
                const key = r.folder ? folderIds[r.folder] : "root";
                folders[key] = (folders[key] ?? 0) + 1;
              }
              expect(response.body.facets.asset_type).to.deep.equal(types);
              expect(Object.fromEntries(response.body.facets.folder.map((f: { folder_id: string | null; count: number }) => [f.folder_id ?? "root", f.count]))).to.deep.equal(folders);
            }
          } while (cursor);
          expect(seen, `${sort} ${order}`).to.deep.equal(ordered(expected, sort, order));
        }
      }
    });
  }

  it("takes the same filters as query parameters on GET /v1/assets and as GraphQL arguments", async () => {
    const expected = ordered(rows.filter((r) => matches(r, { asset_type: ["image", "logo"], tags: ["brand"] })), "file_size", "asc");
    const rest = await api(user, "GET", "/v1/assets?asset_type=image,logo&tags=brand&sort=file_size&order=asc&limit=100");
    expect(rest.body.items.map((a: { asset_id: string }) => a.asset_id)).to.deep.equal(expected);
    const graphql = await gql(
      user,
      `{ searchAssets(filter: { assetTypes: [IMAGE, LOGO], tags: ["brand"] }, sort: FILE_SIZE, order: ASC, first: 100) { totalCount nodes { id } facets { assetType { assetType count } folder { folderId name count } } } }`,
    );
    expect(graphql.body.data.searchAssets.nodes.map((n: { id: string }) => n.id)).to.deep.equal(expected);
    expect(graphql.body.data.searchAssets.facets.folder.every((f: { folderId: string | null; name: string | null }) => (f.folderId === null) === (f.name === null))).to.equal(true);
  });

  it("binds a cursor to its user and its query", async () => {
    const first = await api(user, "POST", "/v1/assets/search", { query: "o", sort: "name", limit: 2 });
    const cursor = first.body.next_cursor;
    expect(cursor).to.be.a("string");
    const otherQuery = await api(user, "POST", "/v1/assets/search", { query: "a", sort: "name", limit: 2, cursor });
    expect([otherQuery.status, otherQuery.body.error.code]).to.deep.equal([400, "VALIDATION_FAILED"]);
    const otherSort = await api(user, "POST", "/v1/assets/search", { query: "o", sort: "file_size", limit: 2, cursor });
    expect(otherSort.status).to.equal(400);
    const otherUser = await api(await newUser(), "POST", "/v1/assets/search", { query: "o", sort: "name", limit: 2, cursor });
    expect(otherUser.status).to.equal(400);
    const samePageSize = await api(user, "POST", "/v1/assets/search", { query: "o", sort: "name", limit: 5, cursor });
    expect(samePageSize.status, "the page size may change between pages").to.equal(200);
    expect((await api(user, "POST", "/v1/assets/search", { cursor: "garbage" })).status).to.equal(400);
  });

  it("refuses bad values, naming the fields", async () => {
    const bad = await api(user, "POST", "/v1/assets/search", { limit: 0, sort: "color", asset_type: ["sticker"], created_after: "yesterday", file_size_min: -1 });
    expect(bad.status).to.equal(400);
    expect(Object.keys(bad.body.error.details.fields).sort()).to.deep.equal(["asset_type", "created_after", "file_size_min", "limit", "sort"]);
    expect((await api(user, "POST", "/v1/assets/search", { folder_id: randomUUID() })).status).to.equal(404);
    // The same rules through GraphQL name GraphQL's own arguments.
    const viaGraphQL = await gql(user, `{ assets(first: 0, filter: { fileSizeMin: -1, folderId: "nope" }) { nodes { id } } }`);
    expect(viaGraphQL.body.errors![0].extensions.code).to.equal("VALIDATION_FAILED");
    expect(Object.keys(viaGraphQL.body.errors![0].extensions.details.fields).sort()).to.deep.equal(["fileSizeMin", "first", "folderId"]);
  });

  it("sorts names as people read them: case and accents ignored, across pages", async () => {
    const reader = await newUser();
    const names = ["sunset", "Ärger", "apple", "Zebra", "éclair", "Bob", "arger"];
    for (const name of names) {
      const { status } = await uploadRest(reader, path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"), { name, on_duplicate: "keep" });
      expect(status).to.equal(201);
    }
    const all = (await api(reader, "GET", "/v1/assets?sort=name&order=asc")).body.items.map((a: { name: string }) => a.name);
    expect(all.slice(0, 3).sort()).to.deep.equal(["apple", "arger", "Ärger"].sort());
    expect(all.slice(3)).to.deep.equal(["Bob", "éclair", "sunset", "Zebra"]);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: any } = await api(reader, "POST", "/v1/assets/search", { sort: "name", order: "asc", limit: 2, cursor });
      paged.push(...page.body.items.map((a: { name: string }) => a.name));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(paged).to.deep.equal(all);
    const viaGraphQL = await gql(reader, `{ assets(sort: NAME, order: DESC, first: 10) { nodes { name } } }`);
    expect(viaGraphQL.body.data.assets.nodes.map((a: { name: string }) => a.name)).to.deep.equal([...all].reverse());
  });
});

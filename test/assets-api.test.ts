import { expect } from "chai";
import fs from "node:fs/promises";
import path from "node:path";
import { FIXTURES, api, gql, newUser, stagedFiles, uploadGraphQL, uploadRest, type TestUser } from "./helpers";
import { testService } from "./setup";
import { addReference, makeFolder } from "./factories";

const PNG = path.join(FIXTURES, "image/png-rgb-8bit-200x133.png");

/** A multipart body written by hand, for part headers FormData would not produce. */
async function rawMultipart(user: TestUser, bytes: Buffer, dispositionTail: string) {
  const boundary = "----raw-boundary";
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; ${dispositionTail}\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const response = await fetch(`${testService().baseUrl}/v1/assets/upload`, {
    method: "POST",
    headers: { ...user.auth, "Content-Type": `multipart/form-data; boundary=${boundary}` },
    body,
  });
  return { status: response.status, body: await response.json() };
}

async function folderCount(folderId: string): Promise<number> {
  const [row] = await testService().runtime.services.db.query(`SELECT asset_count FROM folders WHERE folder_id = $1`, [folderId]);
  return row.asset_count;
}

describe("asset basics over REST and GraphQL", () => {
  it("upload returns the full asset shape with version 1 recorded in the same transaction", async () => {
    const user = await newUser();
    const folderId = await makeFolder(user, "Brand");
    const { status, body } = await uploadRest(user, PNG, { name: "Hero", description: "Front page", folder_id: folderId });
    expect(status).to.equal(201);
    expect(Object.keys(body).sort()).to.deep.equal(
      ["asset_id", "name", "description", "asset_type", "mime_type", "file_extension", "file_size", "original_filename", "checksum", "status", "status_reason", "metadata", "visual", "focal_point", "folder", "tags", "current_version", "versions_count", "references_count", "urls", "derivatives", "created_at", "updated_at", "near_duplicates"].sort(),
    );
    expect(body).to.include({ name: "Hero", description: "Front page", status: "processing", current_version: 1, versions_count: 1, references_count: 0, visual: null, near_duplicates: null });
    expect(body.folder).to.deep.equal({ folder_id: folderId, name: "Brand" });
    expect(body.urls.permanent).to.equal(`${testService().runtime.services.config.publicUrl}/v1/assets/${body.asset_id}/download`);
    const [version] = await testService().runtime.services.db.query(`SELECT * FROM asset_versions WHERE asset_id = $1`, [body.asset_id]);
    expect(version).to.include({ version_number: 1, checksum: body.checksum, created_by: user.userId, storage_path: version.storage_path });
    expect(await folderCount(folderId)).to.equal(1);
  });

  it("names an asset after its file unless told otherwise, and refuses bad names", async () => {
    const user = await newUser();
    expect((await uploadRest(user, PNG)).body.name).to.equal("png-rgb-8bit-200x133");
    const blank = await uploadRest(user, PNG, { name: "   " });
    expect(blank.body.error).to.deep.include({ code: "VALIDATION_FAILED" });
    expect(blank.body.error.details.fields).to.have.property("name");
  });

  it("refuses file names with control characters or over 255 bytes, and keeps directory parts out", async () => {
    const user = await newUser();
    const bytes = await fs.readFile(PNG);
    // RFC 5987 lets a client percent-encode any byte into a file name.
    const control = await rawMultipart(user, bytes, `filename*=UTF-8''bad%01name.png`);
    expect(control.status).to.equal(400);
    expect(control.body.error.details.fields).to.have.property("filename");
    const long = await uploadRest(user, { bytes, filename: `${"é".repeat(130)}.png` });
    expect(long.status).to.equal(400);
    expect(long.body.error.details.fields).to.have.property("filename");
    const nested = await uploadRest(user, { bytes, filename: "../../etc/evil.png" });
    expect(nested.body.original_filename).to.equal("evil.png");
    const [row] = await testService().runtime.services.db.query(`SELECT storage_path FROM assets WHERE asset_id = $1`, [nested.body.asset_id]);
    expect(row.storage_path).to.match(new RegExp(`^assets/${user.userId}/image/\\d{4}/\\d{2}/${nested.body.asset_id}\\.png$`));
    expect(await stagedFiles()).to.deep.equal([]);
  });

  it("a field sent after the file part fails the whole REST upload, leaving nothing", async () => {
    const user = await newUser();
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(await fs.readFile(PNG))]), "late.png");
    form.append("name", "too late");
    const response = await fetch(`${testService().baseUrl}/v1/assets/upload`, { method: "POST", headers: user.auth, body: form });
    expect(response.status).to.equal(400);
    expect((await api(user, "GET", "/v1/assets")).body.total).to.equal(0);
  });

  it("lists newest first with cursors that page without gaps or repeats", async () => {
    const user = await newUser();
    const ids: string[] = [];
    for (const name of ["one", "two", "three", "four", "five"]) ids.unshift((await uploadRest(user, PNG, { name, on_duplicate: "keep" })).body.asset_id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ asset_id: string }>; total: number; next_cursor: string | null } } = await api(user, "GET", `/v1/assets?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.body.total).to.equal(5);
      seen.push(...page.body.items.map((a) => a.asset_id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).to.deep.equal(ids);

    const pageInfo = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";
    const first = await gql(user, `{ assets(first: 3) { totalCount ${pageInfo} edges { cursor node { assetId } } } }`);
    const connection = first.body.data.assets;
    expect(connection.totalCount).to.equal(5);
    // A complete Relay PageInfo: the first and last edges' cursors, and where the page sits.
    expect(connection.pageInfo).to.deep.equal({ hasNextPage: true, hasPreviousPage: false, startCursor: connection.edges[0].cursor, endCursor: connection.edges[2].cursor });
    const rest = await gql(user, `query($after: String) { assets(first: 3, after: $after) { ${pageInfo} edges { cursor } nodes { id } } }`, { after: connection.pageInfo.endCursor });
    expect([...connection.edges.map((e: any) => e.node.assetId), ...rest.body.data.assets.nodes.map((n: any) => n.id)]).to.deep.equal(ids);
    const last = rest.body.data.assets;
    expect(last.pageInfo).to.deep.equal({ hasNextPage: false, hasPreviousPage: true, startCursor: last.edges[0].cursor, endCursor: last.edges[1].cursor });
    const none = await gql(user, `{ assets(first: 3, filter: { query: "no such name" }) { ${pageInfo} } }`);
    expect(none.body.data.assets.pageInfo).to.deep.equal({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it("refuses page sizes outside 1-100 and another user's cursor", async () => {
    const user = await newUser();
    const other = await newUser();
    for (const limit of ["0", "101", "abc"]) expect((await api(user, "GET", `/v1/assets?limit=${limit}`)).status, limit).to.equal(400);
    expect((await gql(user, `{ assets(first: 500) { totalCount } }`)).body.errors?.[0].extensions.code).to.equal("VALIDATION_FAILED");
    await uploadRest(user, PNG);
    await uploadRest(user, path.join(FIXTURES, "image/gif-static-200x133.gif"));
    const cursor = (await api(user, "GET", "/v1/assets?limit=1")).body.next_cursor;
    const stolen = await api(other, "GET", `/v1/assets?limit=1&cursor=${cursor}`);
    expect(stolen.status).to.equal(400);
    expect(stolen.body.error.details.fields).to.have.property("cursor");
  });

  it("updates name, description and folder, keeping folder counts exact", async () => {
    const user = await newUser();
    const a = await makeFolder(user, "A");
    const b = await makeFolder(user, "B");
    const { body } = await uploadRest(user, PNG, { folder_id: a });
    const moved = await api(user, "PUT", `/v1/assets/${body.asset_id}`, { name: "Renamed", description: null, folder_id: b });
    expect(moved.body).to.include({ name: "Renamed", description: null });
    expect(moved.body.folder.folder_id).to.equal(b);
    expect([await folderCount(a), await folderCount(b)]).to.deep.equal([0, 1]);
    const toRoot = await gql(user, `mutation($id: ID!) { updateAsset(id: $id, input: { folderId: null }) { folder { id } name } }`, { id: body.asset_id });
    expect(toRoot.body.data.updateAsset).to.deep.equal({ folder: null, name: "Renamed" });
    expect(await folderCount(b)).to.equal(0);
    const invalid = await api(user, "PUT", `/v1/assets/${body.asset_id}`, { name: 42 });
    expect(invalid.status).to.equal(400);
  });

  it("soft-deletes: the asset leaves listings and its folder count, and can still be read", async () => {
    const user = await newUser();
    const folder = await makeFolder(user, "F");
    const { body } = await uploadGraphQL(user, PNG, { folderId: folder });
    const id = body.data.uploadAsset.id;
    const deleted = await gql(user, `mutation($id: ID!) { deleteAsset(id: $id) { status } }`, { id });
    expect(deleted.body.data.deleteAsset.status).to.equal("DELETED");
    expect((await api(user, "GET", "/v1/assets")).body.total).to.equal(0);
    expect((await api(user, "GET", `/v1/assets/${id}`)).body.status).to.equal("deleted");
    expect(await folderCount(folder)).to.equal(0);
  });

  it("a referenced asset needs force to be deleted, which removes its references", async () => {
    const user = await newUser();
    const { body } = await uploadRest(user, PNG);
    await addReference(user, body.asset_id, "thumbnail");
    const refused = await api(user, "DELETE", `/v1/assets/${body.asset_id}`);
    expect(refused.status).to.equal(409);
    expect(refused.body.error.code).to.equal("ASSET_IN_USE");
    expect(refused.body.error.details.references[0]).to.include({ resource_type: "project", usage_type: "thumbnail" });
    const forced = await api(user, "DELETE", `/v1/assets/${body.asset_id}?force=true`);
    expect(forced.body).to.include({ status: "deleted", references_count: 0 });
  });

  it("answers unknown routes and bad JSON with the error envelope", async () => {
    const user = await newUser();
    expect((await api(user, "GET", "/v1/nothing-here")).body.error.code).to.equal("NOT_FOUND");
    const response = await fetch(`${testService().baseUrl}/v1/assets/00000000-0000-4000-8000-000000000000`, {
      method: "PUT",
      headers: { ...user.auth, "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(response.status).to.equal(400);
    expect((await response.json()).error.code).to.equal("VALIDATION_FAILED");
  });
});

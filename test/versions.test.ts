import { expect } from "chai";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { FIXTURES, api, gql, newUser, settled, uploadRest, userFiles, type TestUser } from "./helpers";
import { testService } from "./setup";

const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** A distinct PNG per call: its colour and size come from n. */
function png(n: number, width = 120 + n, height = 80): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: (n * 37) % 256, g: (n * 91) % 256, b: (n * 53) % 256 } } }).png().toBuffer();
}

async function uploadVersion(user: TestUser, assetId: string, bytes: Buffer, filename = "next.png", changeDescription?: string) {
  const form = new FormData();
  if (changeDescription) form.append("change_description", changeDescription);
  form.append("file", new Blob([new Uint8Array(bytes)]), filename);
  const response = await fetch(`${testService().baseUrl}/v1/assets/${assetId}/versions`, { method: "POST", headers: user.auth, body: form });
  return { status: response.status, body: await response.json() };
}

async function download(user: TestUser, url: string): Promise<Buffer> {
  const response = await fetch(`${testService().baseUrl}${url}`, { headers: user.auth });
  expect(response.status, url).to.equal(200);
  return Buffer.from(await response.arrayBuffer());
}

async function storedFor(user: TestUser, assetId: string): Promise<string[]> {
  return (await userFiles(user.userId)).filter((f) => f.includes(assetId)).sort();
}

describe("versions", function () {
  this.timeout(120_000);

  it("add versions that become current, keep history newest first, and download each one's exact bytes", async () => {
    const user = await newUser();
    const files = [await png(1), await png(2), await png(3)];
    const { body: asset } = await uploadRest(user, { bytes: files[0], filename: "hero.png" });
    const v2 = await uploadVersion(user, asset.asset_id, files[1], "hero-v2.png", "Brighter");
    expect(v2.status, JSON.stringify(v2.body)).to.equal(201);
    expect(v2.body.version).to.include({ version_number: 2, is_current: true, change_description: "Brighter", created_by: user.userId, checksum: sha(files[1]) });
    expect(v2.body.asset).to.include({ current_version: 2, checksum: sha(files[1]), original_filename: "hero-v2.png", versions_count: 2, status: "processing" });
    expect(v2.body.asset.metadata.width).to.equal(122);
    await uploadVersion(user, asset.asset_id, files[2]);
    const history = await api(user, "GET", `/v1/assets/${asset.asset_id}/versions`);
    expect(history.body.items.map((v: { version_number: number; is_current: boolean }) => [v.version_number, v.is_current])).to.deep.equal([[3, true], [2, false], [1, false]]);
    for (const [i, bytes] of files.entries()) {
      expect(sha(await download(user, `/v1/assets/${asset.asset_id}/versions/${i + 1}/download`)), `version ${i + 1}`).to.equal(sha(bytes));
    }
    const details = await api(user, "GET", `/v1/assets/${asset.asset_id}/versions/2`);
    expect(details.body).to.include({ version_number: 2, file_size: files[1].length });
    const partial = await fetch(`${testService().baseUrl}/v1/assets/${asset.asset_id}/versions/1/download`, { headers: { ...user.auth, Range: "bytes=0-7" } });
    expect(partial.status).to.equal(206);
    expect(Buffer.from(await partial.arrayBuffer()).equals(files[0].subarray(0, 8))).to.equal(true);
    const ready = await settled(user, asset.asset_id);
    expect(ready.status).to.equal("ready");
    expect(ready.derivatives.map((d: { kind: string }) => d.kind).sort()).to.deep.equal(["preview", "thumbnail"]);
  });

  it("take a new version through the GraphQL multipart upload too", async () => {
    const user = await newUser();
    const { body: asset } = await uploadRest(user, { bytes: await png(50), filename: "g.png" });
    const bytes = await png(51);
    const form = new FormData();
    form.append(
      "operations",
      JSON.stringify({
        query: `mutation($id: ID!, $file: Upload!) { uploadAssetVersion(assetId: $id, file: $file, changeDescription: "via GraphQL") { currentVersion checksum versions { versionNumber changeDescription } } }`,
        variables: { id: asset.asset_id, file: null },
      }),
    );
    form.append("map", JSON.stringify({ 0: ["variables.file"] }));
    form.append("0", new Blob([new Uint8Array(bytes)]), "g2.png");
    const response = await fetch(`${testService().baseUrl}/graphql`, { method: "POST", headers: { ...user.auth, "Apollo-Require-Preflight": "true" }, body: form });
    const { data, errors } = (await response.json()) as { data: any; errors?: unknown };
    expect(errors).to.equal(undefined);
    expect(data.uploadAssetVersion).to.deep.equal({
      currentVersion: 2,
      checksum: sha(bytes),
      versions: [{ versionNumber: 2, changeDescription: "via GraphQL" }, { versionNumber: 1, changeDescription: "Original upload" }],
    });
  });

  it("refuse a version of another type, with the pipeline's own checks", async () => {
    const user = await newUser();
    const { body: asset } = await uploadRest(user, { bytes: await png(4), filename: "a.png" });
    const wav = fs.readFileSync(path.join(FIXTURES, "audio/wav-pcm-s16-stereo-22k.wav"));
    expect((await uploadVersion(user, asset.asset_id, wav, "sound.wav")).body.error.code).to.equal("INVALID_FILE_TYPE");
    expect((await uploadVersion(user, asset.asset_id, wav, "liar.png")).body.error.code).to.equal("MIME_MISMATCH");
    expect((await api(user, "GET", `/v1/assets/${asset.asset_id}/versions`)).body.items).to.have.length(1);
  });

  it("roll back without losing later versions, and number the next upload after the highest", async () => {
    const user = await newUser();
    const files = [await png(5), await png(6), await png(7)];
    const { body: asset } = await uploadRest(user, { bytes: files[0], filename: "r.png" });
    await settled(user, asset.asset_id);
    await uploadVersion(user, asset.asset_id, files[1]);
    await uploadVersion(user, asset.asset_id, files[2]);
    const rolled = await api(user, "POST", `/v1/assets/${asset.asset_id}/versions/1/rollback`);
    expect(rolled.body).to.include({ current_version: 1, checksum: sha(files[0]), versions_count: 3 });
    expect(rolled.body.status, "version 1's derivatives already exist").to.equal("ready");
    expect(sha(await download(user, `/v1/assets/${asset.asset_id}/download`))).to.equal(sha(files[0]));
    const v4 = await uploadVersion(user, asset.asset_id, await png(8));
    expect(v4.body.version.version_number).to.equal(4);
    const viaGraphQL = await gql(user, `mutation($id: ID!) { rollbackAsset(assetId: $id, versionNumber: 2) { currentVersion checksum versions { versionNumber } } }`, { id: asset.asset_id });
    expect(viaGraphQL.body.data.rollbackAsset).to.deep.equal({ currentVersion: 2, checksum: sha(files[1]), versions: [4, 3, 2, 1].map((n) => ({ versionNumber: n })) });
  });

  it("delete only versions that are not current, with their files", async () => {
    const user = await newUser();
    const { body: asset } = await uploadRest(user, { bytes: await png(9), filename: "d.png" });
    await settled(user, asset.asset_id);
    await uploadVersion(user, asset.asset_id, await png(10));
    await settled(user, asset.asset_id);
    const current = await api(user, "DELETE", `/v1/assets/${asset.asset_id}/versions/2`);
    expect([current.status, current.body.error.code]).to.deep.equal([409, "CONFLICT"]);
    // Version 2's file is named by its version id, its derivatives by its number.
    const v1Files = (await storedFor(user, asset.asset_id)).filter((f) => !f.includes(".v2.") && !f.includes(".version-"));
    expect(v1Files.length, "version 1's file and derivatives").to.equal(3);
    expect((await api(user, "DELETE", `/v1/assets/${asset.asset_id}/versions/1`)).status).to.equal(204);
    expect((await storedFor(user, asset.asset_id)).filter((f) => v1Files.includes(f))).to.deep.equal([]);
    expect((await api(user, "GET", `/v1/assets/${asset.asset_id}/versions/1`)).status).to.equal(404);
    expect((await api(user, "DELETE", `/v1/assets/${asset.asset_id}/versions/7`)).status).to.equal(404);
    const graphql = await gql(user, `mutation($id: ID!) { deleteAssetVersion(assetId: $id, versionNumber: 2) }`, { id: asset.asset_id });
    expect(graphql.body.errors?.[0].extensions.code).to.equal("CONFLICT");
  });

  it("keep at most 10: the 11th prunes the oldest non-current one with its files, the current one kept after a rollback", async () => {
    const user = await newUser();
    const { body: asset } = await uploadRest(user, { bytes: await png(20), filename: "p.png" });
    await settled(user, asset.asset_id);
    for (let n = 2; n <= 10; n++) await uploadVersion(user, asset.asset_id, await png(20 + n));
    await settled(user, asset.asset_id);
    expect((await api(user, "GET", `/v1/assets/${asset.asset_id}/versions`)).body.items).to.have.length(10);
    // Later versions' files are named by their version id, their derivatives by their number.
    const v1Files = (await storedFor(user, asset.asset_id)).filter((f) => /\.(png|webp)$/.test(f) && !/\.(v\d+|version-[0-9a-f-]+)\./.test(f));
    expect(v1Files.length).to.equal(3);

    // Roll back to version 1 and add an 11th: version 1 is no longer current, so it is the one that goes.
    await api(user, "POST", `/v1/assets/${asset.asset_id}/versions/1/rollback`);
    const eleventh = await uploadVersion(user, asset.asset_id, await png(31));
    expect(eleventh.body.version.version_number).to.equal(11);
    let numbers = (await api(user, "GET", `/v1/assets/${asset.asset_id}/versions`)).body.items.map((v: { version_number: number }) => v.version_number);
    expect(numbers).to.deep.equal([11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    expect((await storedFor(user, asset.asset_id)).filter((f) => v1Files.includes(f)), "version 1's files are gone").to.deep.equal([]);

    // Rolled back to the oldest kept version: the upload makes a new current version first, so the
    // pruned one is never the version the asset points at, and the asset's file stays whole.
    await settled(user, asset.asset_id);
    await api(user, "POST", `/v1/assets/${asset.asset_id}/versions/2/rollback`);
    await uploadVersion(user, asset.asset_id, await png(32));
    numbers = (await api(user, "GET", `/v1/assets/${asset.asset_id}/versions`)).body.items.map((v: { version_number: number }) => v.version_number);
    expect(numbers).to.deep.equal([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(sha(await download(user, `/v1/assets/${asset.asset_id}/download`))).to.equal(sha(await png(32)));
  });

  it("compare two versions: metadata diff, size change and both previews for a side-by-side view", async () => {
    const user = await newUser();
    const small = await png(40, 100, 50);
    const large = await png(41, 300, 150);
    const { body: asset } = await uploadRest(user, { bytes: small, filename: "c.png" });
    await uploadVersion(user, asset.asset_id, large);
    await settled(user, asset.asset_id);
    const { body } = await api(user, "GET", `/v1/assets/${asset.asset_id}/versions/compare?from=1&to=2`);
    expect(body.metadata.changed.width).to.deep.equal({ from: 100, to: 300 });
    expect(body.metadata.changed.height).to.deep.equal({ from: 50, to: 150 });
    expect(body.metadata.changed).to.not.have.property("format");
    expect(body.metadata.added).to.deep.equal({});
    expect(body.metadata.removed).to.deep.equal({});
    expect(body.size).to.deep.equal({ from: small.length, to: large.length, change_bytes: large.length - small.length, change_percent: Math.round(((large.length - small.length) / small.length) * 10_000) / 100 });
    for (const url of [body.previews.from, body.previews.to]) {
      const preview = await fetch(url, { headers: user.auth });
      expect(preview.headers.get("content-type")).to.equal("image/webp");
    }
    const graphql = await gql(user, `query($id: ID!) { compareAssetVersions(assetId: $id, from: 2, to: 1) { sizeChangeBytes metadata previewTo } }`, { id: asset.asset_id });
    expect(graphql.body.data.compareAssetVersions.sizeChangeBytes).to.equal(small.length - large.length);
    expect(graphql.body.data.compareAssetVersions.metadata.changed.width).to.deep.equal({ from: 300, to: 100 });
    expect((await api(user, "GET", `/v1/assets/${asset.asset_id}/versions/compare?from=1&to=x`)).status).to.equal(400);
  });

  it("number 12 parallel uploads to one asset uniquely and in sequence, keep 10, and never fail with a 500", async () => {
    const user = await newUser();
    for (let round = 0; round < 3; round++) {
      const { body: asset } = await uploadRest(user, { bytes: await png(100 + round), filename: `race${round}.png` });
      const results = await Promise.all(Array.from({ length: 12 }, async (_, i) => uploadVersion(user, asset.asset_id, await png(200 + round * 20 + i))));
      expect(results.every((r) => r.status === 201 || r.status === 409), JSON.stringify(results.map((r) => r.status))).to.equal(true);
      const accepted = results.filter((r) => r.status === 201).map((r) => r.body.version.version_number).sort((a, b) => a - b);
      expect(accepted).to.deep.equal(Array.from({ length: accepted.length }, (_, i) => i + 2));
      const kept = (await api(user, "GET", `/v1/assets/${asset.asset_id}/versions`)).body.items.map((v: { version_number: number }) => v.version_number);
      expect(kept).to.deep.equal(Array.from({ length: Math.min(10, accepted.length + 1) }, (_, i) => accepted.length + 1 - i));
      expect((await api(user, "GET", `/v1/assets/${asset.asset_id}`)).body.current_version).to.equal(accepted.length + 1);
    }
  });

  it("are another user's business only", async () => {
    const owner = await newUser();
    const stranger = await newUser();
    const { body: asset } = await uploadRest(owner, { bytes: await png(300), filename: "o.png" });
    expect((await uploadVersion(stranger, asset.asset_id, await png(301))).status).to.equal(404);
    for (const [method, url] of [["GET", "/versions"], ["GET", "/versions/1"], ["GET", "/versions/1/download"], ["POST", "/versions/1/rollback"], ["DELETE", "/versions/1"]] as const) {
      const foreign = await api(stranger, method, `/v1/assets/${asset.asset_id}${url}`);
      const missing = await api(stranger, method, `/v1/assets/${randomUUID()}${url}`);
      expect([foreign.status, foreign.body], url).to.deep.equal([missing.status, missing.body]);
    }
  });
});

describe("duplicate detection", function () {
  this.timeout(60_000);

  it("refuses the same bytes again by default, naming the asset that has them; link and keep do what they say", async () => {
    const user = await newUser();
    const file = path.join(FIXTURES, "image/gif-static-200x133.gif");
    const first = await uploadRest(user, file);
    const again = await uploadRest(user, file, { name: "again" });
    expect([again.status, again.body.error.code]).to.deep.equal([409, "DUPLICATE_ASSET"]);
    expect(again.body.error.details).to.include({ asset_id: first.body.asset_id });
    const linked = await uploadRest(user, file, { on_duplicate: "link" });
    expect([linked.status, linked.body.asset_id]).to.deep.equal([200, first.body.asset_id]);
    const kept = await uploadRest(user, file, { on_duplicate: "keep" });
    expect(kept.status).to.equal(201);
    expect(kept.body.asset_id).to.not.equal(first.body.asset_id);
    expect((await uploadRest(user, file, { on_duplicate: "maybe" })).status).to.equal(400);
    expect((await uploadRest(await newUser(), file)).status, "another library may hold the same bytes").to.equal(201);
    const viaGraphQL = await gql(user, `{ assets { totalCount } }`);
    expect(viaGraphQL.body.data.assets.totalCount).to.equal(2);
  });

  it("creates exactly one asset when the same bytes arrive 10 times at once", async () => {
    for (let round = 0; round < 3; round++) {
      const user = await newUser();
      const bytes = await png(500 + round);
      const results = await Promise.all(Array.from({ length: 10 }, () => uploadRest(user, { bytes, filename: "same.png" })));
      const created = results.filter((r) => r.status === 201);
      expect(created).to.have.length(1);
      expect(results.filter((r) => r.status === 409 && r.body.error.code === "DUPLICATE_ASSET")).to.have.length(9);
      expect(results.every((r) => r.status !== 409 || r.body.error.details.asset_id === created[0].body.asset_id)).to.equal(true);
      const [{ n }] = await testService().runtime.services.db.query(`SELECT count(*)::int AS n FROM assets WHERE user_id = $1`, [user.userId]);
      expect(n).to.equal(1);
    }
  });
});

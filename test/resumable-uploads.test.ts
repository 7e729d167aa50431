import { expect } from "chai";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writePaddedMp4 } from "./media-builders";
import { FIXTURES, api, gql, assetRowCount, newUser, stagedFiles, eventually, userFiles, type TestUser } from "./helpers";
import { testService } from "./setup";
import { downloadSha256 as downloadSha256Of, sha256Of, tusLeftovers, tusMetadata, tusRequest, tusUpload, uploadIdOf } from "./tus-helpers";

const MB = 1024 * 1024;
const JPEG = path.join(FIXTURES, "image/jpg-baseline-rgb-320x240-test-pattern.jpg");

const downloadSha256 = (user: TestUser, assetId: string) => downloadSha256Of(testService().baseUrl, user, assetId);

describe("resumable uploads (tus 1.0 at /v1/uploads)", () => {
  it("stores a file sent with tus-js-client as an asset, with the multipart upload's fields, and GET tells the outcome", async () => {
    const user = await newUser();
    const folder = await api(user, "POST", "/v1/assets/folders", { name: "Shoot" });
    const { url, aborted } = await tusUpload(testService().baseUrl, user, JPEG, {
      metadata: { filename: "pattern.jpg", name: "Test pattern", description: "A card", folder_id: folder.body.folder_id, tags: "cards,test" },
    });
    expect(aborted).to.equal(false);
    const status = await api(user, "GET", `/v1/uploads/${uploadIdOf(url)}`);
    expect(status.status).to.equal(200);
    expect(status.body).to.include({ status: "completed", offset: fs.statSync(JPEG).size, length: fs.statSync(JPEG).size, filename: "pattern.jpg", version_number: 1, linked: false, error: null });
    expect(status.body.asset).to.include({ name: "Test pattern", description: "A card", asset_type: "image", original_filename: "pattern.jpg" });
    expect(status.body.asset.folder.folder_id).to.equal(folder.body.folder_id);
    expect(status.body.asset.tags.map((t: { name: string }) => t.name).sort()).to.deep.equal(["cards", "test"]);
    expect(await downloadSha256(user, status.body.asset_id)).to.equal(await sha256Of(JPEG));
    await eventually(async () => expect(await tusLeftovers(url)).to.deep.equal([]));
  });

  it("tells the outcome through GraphQL too (resumableUpload), to the uploader only", async () => {
    const user = await newUser();
    const stranger = await newUser();
    const stored = await tusUpload(testService().baseUrl, user, JPEG, { metadata: { filename: "graph.jpg", name: "Graph" } });
    const refused = await tusUpload(testService().baseUrl, user, JPEG, { metadata: { filename: "graph.jpg" } });
    const query = `query ($id: ID!) { resumableUpload(id: $id) { id status offset length filename versionNumber linked asset { id name assetType } error { code message } expiresAt } }`;
    const ok = await gql(user, query, { id: uploadIdOf(stored.url) });
    expect(ok.body.errors).to.equal(undefined);
    expect(ok.body.data!.resumableUpload).to.deep.include({ id: uploadIdOf(stored.url), status: "COMPLETED", filename: "graph.jpg", versionNumber: 1, linked: false, error: null });
    expect(ok.body.data!.resumableUpload.asset).to.include({ name: "Graph", assetType: "IMAGE" });
    const no = await gql(user, query, { id: uploadIdOf(refused.url) });
    expect(no.body.data!.resumableUpload).to.deep.include({ status: "FAILED", asset: null });
    expect(no.body.data!.resumableUpload.error.code).to.equal("DUPLICATE_ASSET");
    const theirs = await gql(stranger, query, { id: uploadIdOf(stored.url) });
    expect(theirs.body.errors![0].extensions.code).to.equal("NOT_FOUND");
  });

  it("resumes an interrupted 200 MB upload where it stopped and ends with exactly one asset holding the same bytes", async function () {
    this.timeout(300_000);
    const user = await newUser();
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "tus-"));
    const file = path.join(dir, "big.mp4");
    try {
      await writePaddedMp4(path.join(FIXTURES, "video/mp4-fragmented-h264-aac.mp4"), file, 200 * MB);
      const first = await tusUpload(testService().baseUrl, user, file, { metadata: { filename: "big.mp4" }, abortAt: 0.6 });
      expect(first.aborted).to.equal(true);
      const id = uploadIdOf(first.url);
      const midway = await api(user, "GET", `/v1/uploads/${id}`);
      expect(midway.body.status).to.equal("receiving");
      expect(midway.body.offset).to.be.greaterThan(0.5 * 200 * MB).and.lessThan(200 * MB);
      expect(await assetRowCount(user.userId)).to.equal(0);

      const second = await tusUpload(testService().baseUrl, user, file, { metadata: { filename: "big.mp4" }, uploadUrl: first.url });
      expect(second.aborted).to.equal(false);
      // The client asked where to go on and sent only the rest (the interrupted request's last
      // bytes may have landed after the GET above).
      expect(second.startedAt).to.be.at.least(midway.body.offset).and.lessThan(200 * MB);
      const done = await api(user, "GET", `/v1/uploads/${id}`);
      expect(done.body).to.include({ status: "completed", offset: 200 * MB });
      expect(done.body.asset).to.include({ asset_type: "video", file_size: 200 * MB });
      expect(await assetRowCount(user.userId)).to.equal(2); // one asset and its first version
      expect(await downloadSha256(user, done.body.asset_id)).to.equal(await sha256Of(file));
      await eventually(async () => expect(await tusLeftovers(id)).to.deep.equal([]));
      expect(await stagedFiles()).to.deep.equal([]);
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  });

  it("adds a new version when Upload-Metadata names an asset_id", async () => {
    const user = await newUser();
    const first = await tusUpload(testService().baseUrl, user, JPEG, { metadata: { filename: "card.jpg" } });
    const assetId = (await api(user, "GET", `/v1/uploads/${uploadIdOf(first.url)}`)).body.asset_id;
    const other = path.join(FIXTURES, "image/jpg-exif-orientation-6-stored-450x600.jpg");
    const second = await tusUpload(testService().baseUrl, user, other, { metadata: { filename: "card-v2.jpg", asset_id: assetId, change_description: "Rotated" } });
    const status = (await api(user, "GET", `/v1/uploads/${uploadIdOf(second.url)}`)).body;
    expect(status).to.include({ status: "completed", asset_id: assetId, version_number: 2 });
    const versions = await api(user, "GET", `/v1/assets/${assetId}/versions`);
    expect(versions.body.items.map((v: { version_number: number; change_description: string }) => [v.version_number, v.change_description])).to.deep.include([2, "Rotated"]);
    expect(await downloadSha256(user, assetId)).to.equal(await sha256Of(other));
  });

  it("checks the type's size limit from Upload-Length before any byte arrives (413), and refuses a deferred length", async () => {
    const user = await newUser();
    const tooBig = await tusRequest(user, "POST", "/v1/uploads", { "Upload-Length": String(10 * MB + 1), "Upload-Metadata": tusMetadata({ filename: "huge.jpg" }) });
    expect(tooBig.status).to.equal(413);
    expect((await tooBig.json()).error).to.deep.include({ code: "FILE_TOO_LARGE", details: { max_bytes: 10 * MB } });
    const videoSized = await tusRequest(user, "POST", "/v1/uploads", { "Upload-Length": String(10 * MB + 1), "Upload-Metadata": tusMetadata({ filename: "fine.mp4" }) });
    expect(videoSized.status).to.equal(201);
    const deferred = await tusRequest(user, "POST", "/v1/uploads", { "Upload-Defer-Length": "1", "Upload-Metadata": tusMetadata({ filename: "a.jpg" }) });
    expect(deferred.status).to.equal(400);
    expect((await deferred.json()).error.code).to.equal("VALIDATION_FAILED");
    const noName = await tusRequest(user, "POST", "/v1/uploads", { "Upload-Length": "10" });
    expect(noName.status).to.equal(400);
    const badType = await tusRequest(user, "POST", "/v1/uploads", { "Upload-Length": "10", "Upload-Metadata": tusMetadata({ filename: "notes.pdf" }) });
    expect(badType.status).to.equal(415);
    const [{ n }] = await testService().runtime.services.db.query(`SELECT count(*)::int AS n FROM resumable_uploads WHERE user_id = $1`, [user.userId]);
    expect(n).to.equal(1);
  });

  it("lets only the uploading user see, resume or end an upload: to anyone else it does not exist", async () => {
    const owner = await newUser();
    const stranger = await newUser();
    const bytes = fs.readFileSync(JPEG);
    const created = await tusRequest(owner, "POST", "/v1/uploads", { "Upload-Length": String(bytes.length), "Upload-Metadata": tusMetadata({ filename: "mine.jpg" }) });
    const location = created.headers.get("location")!;
    const unknown = `/v1/uploads/${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}`;
    for (const url of [location, unknown]) {
      expect((await tusRequest(stranger, "HEAD", url)).status).to.equal(404);
      const patch = await tusRequest(stranger, "PATCH", url, { "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" }, bytes);
      expect(patch.status).to.equal(404);
      expect((await patch.json()).error.code).to.equal("NOT_FOUND");
      expect((await tusRequest(stranger, "DELETE", url)).status).to.equal(404);
      expect((await api(stranger, "GET", url)).status).to.equal(404);
    }
    expect((await tusRequest(undefined, "HEAD", location)).status).to.equal(401);
    const head = await tusRequest(owner, "HEAD", location);
    expect(head.status).to.equal(200);
    expect(head.headers.get("upload-offset")).to.equal("0");
  });

  it("ends an upload on DELETE (termination): its bytes and its record are gone", async () => {
    const user = await newUser();
    const bytes = fs.readFileSync(JPEG);
    const created = await tusRequest(user, "POST", "/v1/uploads", { "Upload-Length": String(bytes.length), "Upload-Metadata": tusMetadata({ filename: "half.jpg" }) });
    const location = created.headers.get("location")!;
    const half = await tusRequest(user, "PATCH", location, { "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" }, bytes.subarray(0, 40_000));
    expect(half.status).to.equal(204);
    expect(await tusLeftovers(location)).to.not.deep.equal([]);
    const ended = await tusRequest(user, "DELETE", location);
    expect(ended.status).to.equal(204);
    expect((await tusRequest(user, "HEAD", location)).status).to.equal(404);
    expect((await api(user, "GET", location)).status).to.equal(404);
    expect(await tusLeftovers(location)).to.deep.equal([]);
  });

  it("verifies each chunk's sha256 (checksum extension): a mismatch is refused with 460 and the offset stays", async () => {
    const user = await newUser();
    const bytes = fs.readFileSync(JPEG);
    const options = await tusRequest(undefined, "OPTIONS", "/v1/uploads");
    expect(options.status).to.equal(204);
    expect(options.headers.get("tus-extension")!.split(",")).to.include.members(["creation", "creation-with-upload", "termination", "expiration", "checksum"]);
    expect(options.headers.get("tus-checksum-algorithm")).to.equal("sha256");
    expect(options.headers.get("tus-version")).to.equal("1.0.0");

    const created = await tusRequest(user, "POST", "/v1/uploads", { "Upload-Length": String(bytes.length), "Upload-Metadata": tusMetadata({ filename: "summed.jpg" }) });
    const location = created.headers.get("location")!;
    const first = bytes.subarray(0, 30_000);
    const rest = bytes.subarray(30_000);
    const sha = (b: Buffer) => `sha256 ${createHash("sha256").update(b).digest("base64")}`;
    const chunk = { "Content-Type": "application/offset+octet-stream" };
    const wrong = await tusRequest(user, "PATCH", location, { ...chunk, "Upload-Offset": "0", "Upload-Checksum": sha(rest) }, first);
    expect(wrong.status).to.equal(460);
    expect((await tusRequest(user, "HEAD", location)).headers.get("upload-offset")).to.equal("0");
    const unsupported = await tusRequest(user, "PATCH", location, { ...chunk, "Upload-Offset": "0", "Upload-Checksum": "md5 AAAAAAAAAAAAAAAAAAAAAA==" }, first);
    expect(unsupported.status).to.equal(400);
    const right = await tusRequest(user, "PATCH", location, { ...chunk, "Upload-Offset": "0", "Upload-Checksum": sha(first) }, first);
    expect(right.status).to.equal(204);
    expect(right.headers.get("upload-offset")).to.equal(String(first.length));
    const last = await tusRequest(user, "PATCH", location, { ...chunk, "Upload-Offset": String(first.length), "Upload-Checksum": sha(rest) }, rest);
    expect(last.status).to.equal(204);
    const status = (await api(user, "GET", location)).body;
    expect(status.status).to.equal("completed");
    expect(await downloadSha256(user, status.asset_id)).to.equal(await sha256Of(JPEG));
  });

  it("takes a whole small file in the creation request (creation-with-upload)", async () => {
    const user = await newUser();
    const bytes = fs.readFileSync(JPEG);
    const created = await tusRequest(
      user,
      "POST",
      "/v1/uploads",
      { "Upload-Length": String(bytes.length), "Upload-Metadata": tusMetadata({ filename: "oneshot.jpg" }), "Content-Type": "application/offset+octet-stream" },
      bytes,
    );
    expect(created.status).to.equal(201);
    expect(created.headers.get("upload-offset")).to.equal(String(bytes.length));
    const status = (await api(user, "GET", created.headers.get("location")!)).body;
    expect(status).to.include({ status: "completed", version_number: 1 });
  });

  it("tells a refusal by its API.md code and keeps nothing of the refused file", async () => {
    const user = await newUser();
    // JPEG bytes under a PNG name: the content check refuses them once they have all arrived.
    const { url } = await tusUpload(testService().baseUrl, user, JPEG, { metadata: { filename: "disguised.png" } });
    const status = (await api(user, "GET", `/v1/uploads/${uploadIdOf(url)}`)).body;
    expect(status).to.include({ status: "failed", asset_id: null, asset: null });
    expect(status.error.code).to.equal("MIME_MISMATCH");
    expect(await assetRowCount(user.userId)).to.equal(0);
    expect(await userFiles(user.userId)).to.deep.equal([]);
    await eventually(async () => expect(await tusLeftovers(url)).to.deep.equal([]));
    expect(await stagedFiles()).to.deep.equal([]);

    // The same bytes twice: the second is refused as a duplicate, as a multipart upload would be.
    const stored = await tusUpload(testService().baseUrl, user, JPEG, { metadata: { filename: "card.jpg" } });
    const again = await tusUpload(testService().baseUrl, user, JPEG, { metadata: { filename: "card.jpg" } });
    const first = (await api(user, "GET", `/v1/uploads/${uploadIdOf(stored.url)}`)).body;
    const second = (await api(user, "GET", `/v1/uploads/${uploadIdOf(again.url)}`)).body;
    expect(first.status).to.equal("completed");
    expect(second.error.code).to.equal("DUPLICATE_ASSET");
    const linked = await tusUpload(testService().baseUrl, user, JPEG, { metadata: { filename: "card.jpg", on_duplicate: "link" } });
    expect((await api(user, "GET", `/v1/uploads/${uploadIdOf(linked.url)}`)).body).to.include({ status: "completed", linked: true, asset_id: first.asset_id });
  });

  it("removes an unfinished upload's bytes once it expires; the client is told it is gone", async () => {
    const user = await newUser();
    const bytes = fs.readFileSync(JPEG);
    const created = await tusRequest(user, "POST", "/v1/uploads", { "Upload-Length": String(bytes.length), "Upload-Metadata": tusMetadata({ filename: "late.jpg" }) });
    const location = created.headers.get("location")!;
    expect(Date.parse(created.headers.get("upload-expires")!)).to.be.greaterThan(Date.now());
    await tusRequest(user, "PATCH", location, { "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" }, bytes.subarray(0, 20_000));
    const { expirySeconds } = testService().runtime.services.config.resumableUploads;
    const removed = await testService().runtime.services.resumableUploads.sweepExpired(new Date(Date.now() + expirySeconds * 1000 + 60_000));
    expect(removed).to.be.greaterThan(0);
    expect((await tusRequest(user, "HEAD", location)).status).to.equal(404);
    expect(await tusLeftovers(location)).to.deep.equal([]);
  });
});

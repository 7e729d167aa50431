import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { FIXTURES, newUser, uploadRest, type TestUser } from "./helpers";
import { testService } from "./setup";

function get(user: TestUser, url: string, headers: Record<string, string> = {}, method = "GET") {
  return fetch(`${testService().baseUrl}${url}`, { method, headers: { ...user.auth, ...headers } });
}

describe("downloads", () => {
  const source = path.join(FIXTURES, "audio/wav-pcm-s16-stereo-22k.wav");
  const bytes = fs.readFileSync(source);
  let user: TestUser;
  let id: string;
  let checksum: string;

  before(async () => {
    user = await newUser();
    const { body } = await uploadRest(user, { bytes, filename: "Café – take 2.wav" });
    id = body.asset_id;
    checksum = body.checksum;
  });

  it("streams the exact bytes with ETag, length and the original name", async () => {
    const response = await get(user, `/v1/assets/${id}/download`);
    expect(response.status).to.equal(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).to.equal(true);
    expect(response.headers.get("etag")).to.equal(`"${checksum}"`);
    expect(response.headers.get("content-length")).to.equal(String(bytes.length));
    expect(response.headers.get("content-type")).to.equal("audio/wav");
    expect(response.headers.get("accept-ranges")).to.equal("bytes");
    expect(response.headers.get("x-content-type-options")).to.equal("nosniff");
    expect(response.headers.get("content-disposition")).to.equal(
      `attachment; filename="Caf_ _ take 2.wav"; filename*=UTF-8''Caf%C3%A9%20%E2%80%93%20take%202.wav`,
    );
  });

  it("answers a byte range with 206 and exactly those bytes", async () => {
    const response = await get(user, `/v1/assets/${id}/download`, { Range: "bytes=100-1099" });
    expect(response.status).to.equal(206);
    expect(response.headers.get("content-range")).to.equal(`bytes 100-1099/${bytes.length}`);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes.subarray(100, 1100))).to.equal(true);
  });

  it("answers suffix and open-ended ranges", async () => {
    const suffix = await get(user, `/v1/assets/${id}/download`, { Range: "bytes=-10" });
    expect(Buffer.from(await suffix.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).to.equal(true);
    const open = await get(user, `/v1/assets/${id}/download`, { Range: `bytes=${bytes.length - 5}-` });
    expect(open.status).to.equal(206);
    expect(Buffer.from(await open.arrayBuffer()).equals(bytes.subarray(bytes.length - 5))).to.equal(true);
  });

  it("answers 416 for a range past the end", async () => {
    const response = await get(user, `/v1/assets/${id}/download`, { Range: `bytes=${bytes.length}-` });
    expect(response.status).to.equal(416);
    expect(response.headers.get("content-range")).to.equal(`bytes */${bytes.length}`);
  });

  it("answers 304 to a matching If-None-Match and ignores a stale If-Range", async () => {
    expect((await get(user, `/v1/assets/${id}/download`, { "If-None-Match": `"${checksum}"` })).status).to.equal(304);
    const stale = await get(user, `/v1/assets/${id}/download`, { Range: "bytes=0-9", "If-Range": '"other"' });
    expect(stale.status).to.equal(200);
    expect(Number(stale.headers.get("content-length"))).to.equal(bytes.length);
  });

  it("answers HEAD with headers only", async () => {
    const response = await get(user, `/v1/assets/${id}/download`, {}, "HEAD");
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-length")).to.equal(String(bytes.length));
    expect((await response.arrayBuffer()).byteLength).to.equal(0);
  });

  it("serves SVG with a Content-Security-Policy that forbids everything", async () => {
    const { body } = await uploadRest(user, path.join(FIXTURES, "logo/logo-flac-width-height-no-viewbox.svg"));
    const response = await get(user, `/v1/assets/${body.asset_id}/download`);
    expect(response.headers.get("content-type")).to.equal("image/svg+xml");
    expect(response.headers.get("content-security-policy")).to.equal("default-src 'none'");
    expect(response.headers.get("x-content-type-options")).to.equal("nosniff");
  });
});

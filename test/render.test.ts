import { expect } from "chai";
import path from "node:path";
import sharp from "sharp";
import { RenderService } from "../src/assets/render/render.service";
import { UrlSigner } from "../src/assets/signed-urls";
import { renderRequestsTotal } from "../src/metrics";
import { checkRestAnswer } from "./rest-client";
import { FIXTURES, api, gql, newUser, readyAsset, type TestUser } from "./helpers";
import { twoColours } from "./media-builders";

/** A PNG whose left `share` is red and the rest blue. */
const redThenBlue = (width: number, height: number, share: number) => twoColours("#ff0000", "#0000ff", share, width, height);
import { testService } from "./setup";

/** GET of a render: its status, headers and bytes (JSON errors parsed). */
async function get(user: TestUser | undefined, url: string, headers: Record<string, string> = {}) {
  const full = url.startsWith("http") ? url : `${testService().baseUrl}${url}`;
  const response = await fetch(full, { headers: { ...(user ? user.auth : {}), ...headers } });
  await checkRestAnswer("GET", full, response.clone());
  const bytes = Buffer.from(await response.arrayBuffer());
  const json = response.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(bytes.toString()) : undefined;
  return { status: response.status, headers: response.headers, bytes, json };
}

async function counts(): Promise<Record<string, number>> {
  const metric = await renderRequestsTotal.get();
  return Object.fromEntries(["cached", "rendered", "joined"].map((outcome) => [outcome, metric.values.find((v) => v.labels.outcome === outcome)?.value ?? 0]));
}

async function pixel(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * 4;
  return [...data.subarray(at, at + 4)];
}

describe("on-the-fly transforms (/render)", function () {
  this.timeout(180_000);
  let user: TestUser;
  let picture: any;
  before(async () => {
    user = await newUser();
    picture = await readyAsset(user, { bytes: await redThenBlue(600, 400, 0.3), filename: "red-blue.png" });
  });

  it("renders each format at the size asked, and each fit as it says", async () => {
    const cases = [
      { query: "w=200&h=200&fit=cover&format=png", format: "png", size: [200, 200] },
      { query: "w=300&format=jpeg", format: "jpeg", size: [300, 200] },
      { query: "h=100&format=avif", format: "heif", size: [150, 100] },
      { query: "w=240&h=240&fit=inside", format: "webp", size: [240, 160] },
      { query: "w=200&h=200&fit=contain&format=png", format: "png", size: [200, 200] },
      { query: "w=100&dpr=2.5", format: "webp", size: [250, 167] },
      { query: "preset=avatar", format: "webp", size: [128, 128] },
      { query: "preset=og-image&format=png", format: "png", size: [600, 315] },
      // A raster is never enlarged: the largest output of the shape asked that it holds.
      { query: "w=2000", format: "webp", size: [600, 400] },
      { query: "w=1200&h=300&fit=cover", format: "webp", size: [600, 150] },
    ];
    for (const { query, format, size } of cases) {
      const answer = await get(user, `/v1/assets/${picture.asset_id}/render?${query}`);
      expect(answer.status, `${query}: ${answer.bytes.toString().slice(0, 200)}`).to.equal(200);
      const meta = await sharp(answer.bytes).metadata();
      expect([meta.format, meta.width, meta.height], query).to.deep.equal([format, ...size]);
      expect(answer.headers.get("content-type"), query).to.equal(`image/${format === "heif" ? "avif" : format}`);
    }
    // contain pads with transparency where the format has alpha, white where it has none.
    const padded = await get(user, `/v1/assets/${picture.asset_id}/render?w=200&h=200&fit=contain&format=png`);
    expect((await pixel(padded.bytes, 100, 5))[3]).to.equal(0);
    expect((await pixel(padded.bytes, 100, 100))[3]).to.equal(255);
    const paddedJpeg = await get(user, `/v1/assets/${picture.asset_id}/render?w=200&h=200&fit=contain&format=jpeg`);
    expect((await pixel(paddedJpeg.bytes, 100, 5)).slice(0, 3).every((c) => c > 240)).to.equal(true);
  });

  it("crops cover renders around the focal point, set over REST and GraphQL", async () => {
    const owner = await newUser();
    const asset = await readyAsset(owner, { bytes: await redThenBlue(600, 400, 0.3), filename: "focal.png" });
    const redAt = async (x: number) => {
      const answer = await get(owner, `/v1/assets/${asset.asset_id}/render?w=200&h=200&format=png`);
      expect(answer.status).to.equal(200);
      const [r, , b] = await pixel(answer.bytes, x, 100);
      return r > 200 && b < 50;
    };
    // Centre crop: 300x200 scaled, columns 50-250; red is columns 0-90, so x=60 is blue.
    expect(await redAt(60)).to.equal(false);
    const set = await api(owner, "PUT", `/v1/assets/${asset.asset_id}/focal-point`, { x: 0.05, y: 0.5 });
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    expect(set.body.focal_point).to.deep.equal({ x: 0.05, y: 0.5 });
    expect(await redAt(60)).to.equal(true);
    expect((await api(owner, "PUT", `/v1/assets/${asset.asset_id}/focal-point`, { x: 1.5, y: 0 })).body.error.code).to.equal("VALIDATION_FAILED");

    const cleared = await gql(owner, `mutation($id: ID!) { setFocalPoint(id: $id, point: null) { focalPoint { x y } } }`, { id: asset.asset_id });
    expect(cleared.body.data?.setFocalPoint.focalPoint).to.equal(null);
    expect(await redAt(60)).to.equal(false);
    const again = await gql(owner, `mutation($id: ID!) { setFocalPoint(id: $id, point: { x: 0.9, y: 0.2 }) { focalPoint { x y } } }`, { id: asset.asset_id });
    expect(again.body.data?.setFocalPoint.focalPoint).to.deep.equal({ x: 0.9, y: 0.2 });
    expect((await api(owner, "DELETE", `/v1/assets/${asset.asset_id}/focal-point`)).body.focal_point).to.equal(null);
    // Another user's asset is missing, not forbidden.
    expect((await api(user, "PUT", `/v1/assets/${asset.asset_id}/focal-point`, { x: 0.5, y: 0.5 })).status).to.equal(404);
  });

  it("serves a repeat from the cache with its ETag, and renders identical concurrent requests once", async () => {
    const url = `/v1/assets/${picture.asset_id}/render?w=321&h=123&format=jpeg&q=70`;
    const before = await counts();
    const first = await get(user, url);
    expect(first.status).to.equal(200);
    const etag = first.headers.get("etag")!;
    expect(first.headers.get("cache-control")).to.equal("private, no-cache");
    const second = await get(user, url);
    expect(second.bytes.equals(first.bytes)).to.equal(true);
    expect(second.headers.get("etag")).to.equal(etag);
    // The same output asked another way is the same entry.
    expect((await get(user, `/v1/assets/${picture.asset_id}/render?w=107&h=41&dpr=3&format=jpeg&q=70`)).headers.get("etag")).to.equal(etag);
    expect((await get(user, url, { "If-None-Match": etag })).status).to.equal(304);
    const pinned = await get(user, `${url}&version=1`);
    expect(pinned.headers.get("cache-control")).to.equal("private, max-age=31536000, immutable");
    let after = await counts();
    expect(after.rendered - before.rendered).to.equal(1);
    expect(after.cached - before.cached).to.equal(4);

    const fresh = `/v1/assets/${picture.asset_id}/render?w=333&format=png`;
    const answers = await Promise.all(Array.from({ length: 6 }, () => get(user, fresh)));
    expect(answers.map((a) => a.status)).to.deep.equal([200, 200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.headers.get("etag"))).size).to.equal(1);
    const concurrent = await counts();
    expect(concurrent.rendered - after.rendered).to.equal(1);
    expect(concurrent.joined + concurrent.cached - after.joined - after.cached).to.equal(5);
    after = concurrent;
    const [{ n }] = await testService().runtime.services.db.query(`SELECT count(*)::int AS n FROM asset_renders WHERE asset_id = $1`, [picture.asset_id]);
    expect(n).to.be.at.least(2);
  });

  it("refuses bad parameters with 400, outputs over the limits with 413, and audio with 415", async () => {
    const bad = ["w=abc", "w=0", "h=-5", "q=0", "q=101", "fit=stretch", "format=gif", "dpr=5", "dpr=0.5", "preset=huge"];
    for (const query of bad) {
      const answer = await get(user, `/v1/assets/${picture.asset_id}/render?${query}`);
      expect([answer.status, answer.json?.error.code], query).to.deep.equal([400, "VALIDATION_FAILED"]);
    }
    for (const query of ["w=5000", "w=3000&dpr=2", "w=4096&h=4096&dpr=1.1"]) {
      const answer = await get(user, `/v1/assets/${picture.asset_id}/render?${query}`);
      expect([answer.status, answer.json?.error.code], query).to.deep.equal([413, "RENDER_TOO_LARGE"]);
      expect(answer.json.error.details.max_side).to.equal(4096);
    }
    const audio = await readyAsset(user, path.join(FIXTURES, "audio/wav-pcm-s16-stereo-22k.wav"));
    expect((await get(user, `/v1/assets/${audio.asset_id}/render?w=100`)).json.error.code).to.equal("INVALID_FILE_TYPE");
    const stranger = await newUser();
    expect((await get(stranger, `/v1/assets/${picture.asset_id}/render?w=100`)).status).to.equal(404);
    expect((await get(user, `/v1/assets/${picture.asset_id}/render?w=100&version=9`)).status).to.equal(404);
  });

  it("holds the pixel and concurrency limits it is given", async () => {
    const { db, storage, urls } = testService().runtime.services;
    const tight = new RenderService(db, storage, new UrlSigner("a-test-secret-of-at-least-32-bytes!!", 3600), urls, {
      maxSide: 1000, maxPixels: 100_000, concurrency: 1, queue: 0, ffmpeg: "ffmpeg", maxImagePixels: 1e8, timeoutMs: 30_000,
    });
    // 400x400 is under the side limit and over the pixel one; one side alone over the side limit.
    for (const raw of [{ w: "400", h: "400" }, { w: "1001" }]) {
      const error = await tight.render(user.userId, picture.asset_id, raw).catch((e) => e);
      expect(error.code, JSON.stringify(raw)).to.equal("RENDER_TOO_LARGE");
    }
    // One render at a time and none waiting: of distinct concurrent renders, the rest are told to retry.
    const outcomes = await Promise.allSettled([101, 102, 103, 104].map((w) => tight.render(user.userId, picture.asset_id, { w: String(w), format: "png" })));
    const refused = outcomes.filter((o) => o.status === "rejected");
    expect(refused.length).to.be.within(1, 3);
    for (const o of refused) expect((o as PromiseRejectedResult).reason.code).to.equal("SERVICE_UNAVAILABLE");
  });

  it("renders SVG logos as vectors, font specimens and video posters", async () => {
    const logo = await readyAsset(user, path.join(FIXTURES, "logo/logo-sharp-viewbox-only.svg"), { asset_type: "logo" });
    const big = await get(user, `/v1/assets/${logo.asset_id}/render?w=1500&format=png`);
    const bigMeta = await sharp(big.bytes).metadata();
    expect([big.status, bigMeta.width]).to.deep.equal([200, 1500]);
    expect(bigMeta.hasAlpha).to.equal(true);

    const font = await readyAsset(user, path.join(FIXTURES, "font/ttf-open-sans-regular.ttf"));
    const specimen = await sharp((await get(user, `/v1/assets/${font.asset_id}/render?w=1200`)).bytes).metadata();
    expect(specimen.width).to.equal(1200);

    const video = await readyAsset(user, path.join(FIXTURES, "video/mp4-h264-aac-854x480-edit-list.mp4"));
    const poster = await get(user, `/v1/assets/${video.asset_id}/render?w=640&h=360&format=jpeg`);
    const posterMeta = await sharp(poster.bytes).metadata();
    expect([poster.status, posterMeta.format, posterMeta.width, posterMeta.height]).to.deep.equal([200, "jpeg", 640, 360]);
    // The poster is the same frame the preview shows.
    const preview = await get(user, `/v1/assets/${video.asset_id}/derivatives/preview`);
    const small = (bytes: Buffer) => sharp(bytes).resize(32, 18, { fit: "fill" }).removeAlpha().raw().toBuffer();
    const [a, b] = await Promise.all([small(poster.bytes), small(preview.bytes)]);
    const meanDifference = a.reduce((sum, value, i) => sum + Math.abs(value - b[i]), 0) / a.length;
    expect(meanDifference).to.be.below(12);
  });

  it("signs render URLs for <img>: srcset and render-url work without a token, tampering does not", async () => {
    const signed = await api(user, "GET", `/v1/assets/${picture.asset_id}/render-url?w=150&h=100&format=png`);
    expect(signed.status).to.equal(200);
    const answer = await get(undefined, signed.body.url);
    expect(answer.status).to.equal(200);
    expect(answer.headers.get("cache-control")).to.match(/^private, max-age=\d+, immutable$/);
    expect((await sharp(answer.bytes).metadata()).width).to.equal(150);
    for (const [from, to] of [["w=150", "w=151"], ["h=100", "h=99"], ["fit=cover", "fit=contain"], ["format=png", "format=jpeg"]]) {
      const tampered = await get(undefined, signed.body.url.replace(from, to));
      expect([tampered.status, tampered.json?.error.code], to).to.deep.equal([403, "INVALID_SIGNATURE"]);
    }
    const otherAsset = await readyAsset(user, { bytes: await redThenBlue(300, 300, 0.5), filename: "other.png" });
    expect((await get(undefined, signed.body.url.replace(picture.asset_id, otherAsset.asset_id))).status).to.equal(403);

    const query = await gql(user, `query($id: ID!) { asset(id: $id) { srcset(widths: [100, 250], format: JPEG) renderUrl(width: 64, height: 64) } }`, { id: picture.asset_id });
    expect(query.body.errors).to.equal(undefined);
    const entries = query.body.data!.asset.srcset.split(", ").map((entry: string) => entry.split(" "));
    expect(entries.map((e: string[]) => e[1])).to.deep.equal(["100w", "250w"]);
    for (const [url, width] of entries) {
      const image = await get(undefined, url);
      const meta = await sharp(image.bytes).metadata();
      expect([meta.format, meta.width]).to.deep.equal(["jpeg", Number.parseInt(width)]);
    }
    expect((await sharp((await get(undefined, query.body.data!.asset.renderUrl)).bytes).metadata()).height).to.equal(64);
    const tooMany = await gql(user, `query($id: ID!) { asset(id: $id) { srcset(widths: [9000]) } }`, { id: picture.asset_id });
    expect(tooMany.body.errors?.[0].extensions.code).to.equal("RENDER_TOO_LARGE");
  });

  it("removes renders with their version and their asset (nothing left in storage)", async () => {
    const owner = await newUser();
    const asset = await readyAsset(owner, { bytes: await redThenBlue(200, 200, 0.5), filename: "gone.png" });
    expect((await get(owner, `/v1/assets/${asset.asset_id}/render?w=50`)).status).to.equal(200);
    const { db, storage, purge } = testService().runtime.services;
    const [{ storage_path: key }] = await db.query(`SELECT storage_path FROM asset_renders WHERE asset_id = $1`, [asset.asset_id]);
    expect(await storage.stat(key)).to.not.equal(undefined);
    expect((await api(owner, "DELETE", `/v1/assets/${asset.asset_id}`)).status).to.equal(200);
    await db.query(`UPDATE assets SET deleted_at = now() - interval '40 days' WHERE asset_id = $1`, [asset.asset_id]);
    await purge.purgeExpired(30);
    expect(await storage.stat(key)).to.equal(undefined);
    expect((await db.query(`SELECT 1 FROM asset_renders WHERE asset_id = $1`, [asset.asset_id])).length).to.equal(0);
  });
});

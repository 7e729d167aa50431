import { expect } from "chai";
import path from "node:path";
import sharp from "sharp";
import { thumbHashToAverageRGBA, thumbHashToApproximateAspectRatio } from "thumbhash";
import { colorFamily, paletteOf } from "../src/assets/media/visual-summary";
import { FIXTURES, api, gql, newUser, readyAsset, settled, type TestUser } from "./helpers";
import { twoColours } from "./media-builders";
import { testService } from "./setup";

const rgbOf = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const distance = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe("placeholders and colours", function () {
  this.timeout(120_000);
  let user: TestUser;
  before(async () => {
    user = await newUser();
  });

  it("gives every image, logo, video poster and font specimen a ThumbHash of its picture, a dominant colour and a palette", async () => {
    const files = [
      "image/jpg-baseline-rgb-320x240-test-pattern.jpg",
      "image/webp-lossy-1024x772.webp",
      "image/png-rgba-8bit-partially-transparent.png",
      "logo/logo-sharp-viewbox-only.svg",
      "video/mp4-h264-aac-854x480-edit-list.mp4",
      "font/ttf-open-sans-regular.ttf",
    ];
    for (const file of files) {
      const asset = await readyAsset(user, path.join(FIXTURES, file), file.startsWith("logo/") ? { asset_type: "logo" } : {});
      const { visual } = asset;
      expect(visual, file).to.not.equal(null);
      expect(visual.palette.length, file).to.be.within(1, 5);
      expect(visual.palette[0]).to.equal(visual.dominant_color);
      expect(new Set(visual.palette).size).to.equal(visual.palette.length);
      expect(visual.color_family).to.equal(colorFamily(visual.dominant_color));
      expect(visual.perceptual_hash).to.match(/^[0-9a-f]{16}$/);

      // The placeholder has the picture's shape and average colour (measured here on the preview).
      const hash = Buffer.from(visual.thumbhash, "base64");
      expect(hash.length, file).to.be.within(5, 40);
      const previewFile = asset.derivatives.find((d: { kind: string }) => d.kind === "preview");
      expect(thumbHashToApproximateAspectRatio(hash), file).to.be.closeTo(previewFile.width / previewFile.height, 0.35 * (previewFile.width / previewFile.height));
      const stats = await sharp(Buffer.from(await (await fetch(asset.urls.preview)).arrayBuffer())).flatten({ background: "#ffffff" }).stats();
      const mean = stats.channels.slice(0, 3).map((c) => c.mean);
      const average = thumbHashToAverageRGBA(hash);
      // ThumbHash keeps alpha apart; an opaque picture's average colour must match.
      if (average.a > 0.99) expect(distance([average.r * 255, average.g * 255, average.b * 255], mean), `${file} average colour`).to.be.lessThan(40);
    }
  });

  it("names the colour that covers most of the picture, lists the others, and files it under that colour's family", async () => {
    const asset = await readyAsset(user, { bytes: await twoColours("#d01010", "#1030c0", 0.7), filename: "mostly-red.png" });
    expect(distance(rgbOf(asset.visual.dominant_color), [0xd0, 0x10, 0x10])).to.be.lessThan(12);
    expect(asset.visual.color_family).to.equal("red");
    expect(asset.visual.palette).to.have.length(2);
    expect(distance(rgbOf(asset.visual.palette[1]), [0x10, 0x30, 0xc0])).to.be.lessThan(12);
  });

  it("filters search by colour family over REST and GraphQL, and refuses an unknown family", async () => {
    const owner = await newUser();
    const red = await readyAsset(owner, { bytes: await twoColours("#c81e1e", "#f0f0f0", 0.8), filename: "red.png" });
    const blue = await readyAsset(owner, { bytes: await twoColours("#1e3cc8", "#c81e1e", 0.8), filename: "blue.png" });
    const green = await readyAsset(owner, { bytes: await twoColours("#1ea03c", "#1e3cc8", 0.9), filename: "green.png" });
    const audio = await readyAsset(owner, path.join(FIXTURES, "audio/wav-pcm-s16-stereo-22k.wav"));
    expect(audio.visual, "a drawn waveform has no colours worth telling").to.equal(null);

    const ids = (body: { items: Array<{ asset_id: string }> }) => body.items.map((a) => a.asset_id);
    expect(ids((await api(owner, "GET", "/v1/assets?color=red")).body)).to.deep.equal([red.asset_id]);
    expect(ids((await api(owner, "GET", "/v1/assets?color=blue")).body)).to.deep.equal([blue.asset_id]);
    const searched = await api(owner, "POST", "/v1/assets/search", { color: "green", asset_type: ["image"] });
    expect([ids(searched.body), searched.body.total]).to.deep.equal([[green.asset_id], 1]);
    expect(searched.body.facets.asset_type).to.deep.equal({ image: 1 });

    const viaGraphQL = await gql(owner, `{ searchAssets(filter: { color: BLUE }) { edges { node { id visual { colorFamily dominantColor palette thumbhash perceptualHash } } } } }`);
    expect(viaGraphQL.body.errors).to.equal(undefined);
    const [node] = viaGraphQL.body.data.searchAssets.edges.map((e: { node: any }) => e.node);
    expect(node).to.deep.equal({
      id: blue.asset_id,
      visual: { colorFamily: "BLUE", dominantColor: blue.visual.dominant_color, palette: blue.visual.palette, thumbhash: blue.visual.thumbhash, perceptualHash: blue.visual.perceptual_hash },
    });

    const refused = await api(owner, "GET", "/v1/assets?color=chartreuse");
    expect([refused.status, refused.body.error.code]).to.deep.equal([400, "VALIDATION_FAILED"]);
    expect(refused.body.error.details.fields).to.have.property("color");
    // Another user's red asset is not this user's.
    expect((await api(user, "GET", "/v1/assets?color=red")).body.items.map((a: { asset_id: string }) => a.asset_id)).to.not.include(red.asset_id);
  });

  it("follows the current version: a new version's colours replace the old, a rollback brings them back", async () => {
    const owner = await newUser();
    const asset = await readyAsset(owner, { bytes: await twoColours("#c81e1e", "#f0f0f0", 0.8), filename: "art.png" });
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(await twoColours("#1e3cc8", "#f0f0f0", 0.8))]), "art.png");
    const next = await fetch(`${testService().baseUrl}/v1/assets/${asset.asset_id}/versions`, { method: "POST", headers: owner.auth, body: form });
    expect(next.status).to.equal(201);
    expect((await settled(owner, asset.asset_id)).visual.color_family).to.equal("blue");
    const rolled = await api(owner, "POST", `/v1/assets/${asset.asset_id}/versions/1/rollback`);
    expect(rolled.status).to.equal(200);
    expect(rolled.body.visual).to.deep.equal(asset.visual);
    expect((await api(owner, "GET", "/v1/assets?color=red")).body.items.map((a: { asset_id: string }) => a.asset_id)).to.deep.equal([asset.asset_id]);
  });

  it("gives audio with cover art the art's colours", async () => {
    const asset = await readyAsset(await newUser(), path.join(FIXTURES, "audio/mp3-id3v2-with-cover-art.mp3"));
    expect(asset.visual).to.not.equal(null);
    expect(asset.visual.palette.length).to.be.at.least(1);
  });

  it("counts each palette colour once however its shades spread, and reads a transparent picture as white", () => {
    const pixels = Buffer.alloc(4 * 100);
    for (let i = 0; i < 100; i++) pixels.set(i < 60 ? [200, 20 + (i % 3), 20, 255] : [20, 40, 200 + (i % 2), 255], 4 * i);
    const palette = paletteOf(pixels);
    expect(palette).to.have.length(2);
    expect(colorFamily(palette[0])).to.equal("red");
    expect(paletteOf(Buffer.alloc(16))).to.deep.equal(["#ffffff"]);
    expect(["#000000", "#ffffff", "#808080", "#ffd700", "#008080", "#800080", "#ff69b4", "#8b4513", "#ff8c00"].map(colorFamily)).to.deep.equal([
      "black", "white", "gray", "yellow", "teal", "purple", "pink", "brown", "orange",
    ]);
  });
});

import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { DERIVATIVES_BY_TYPE } from "../src/assets/derivatives/generate";
import { probeMedia } from "../src/assets/media/ffprobe";
import { runTool } from "../src/assets/media/run-tool";
import { resolveMediaTools } from "../src/assets/media/tool-paths";
import { derivativeFile, FIXTURES, newUser, settled, uploadRest, type TestUser } from "./helpers";
import { writeDamagedPixelPng } from "./media-builders";
import { testService } from "./setup";

interface ManifestEntry {
  path: string;
  expected: Record<string, any> & { asset_type: string };
}
const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, "manifest.json"), "utf8")) as { files: ManifestEntry[] };
const accepted = manifest.files.filter((f) => f.expected.asset_type !== "reject" && !f.expected.acceptable_alternative);
const ffprobe = resolveMediaTools({}).ffprobe;

/** The size the preview must have: the displayed size brought down to 600 on its longest side. */
function expectedPreview(entry: ManifestEntry, metadata: Record<string, any>): { longest: number } {
  const e = entry.expected;
  if (e.format === "svg" || e.asset_type === "font") return { longest: 600 };
  const width = e.display_width ?? metadata.display_width ?? metadata.width;
  const height = e.display_height ?? metadata.display_height ?? metadata.height;
  return { longest: Math.min(600, Math.max(width, height)) };
}

describe("derivatives of every accepted fixture", function () {
  this.timeout(180_000);
  let user: TestUser;
  const uploaded = new Map<string, any>();

  before(async () => {
    user = await newUser();
    // Upload everything first so the workers run while the checks go.
    for (const entry of accepted) {
      const { status, body } = await uploadRest(user, path.join(FIXTURES, entry.path), { asset_type: entry.expected.asset_type });
      expect(status, `${entry.path}: ${JSON.stringify(body)}`).to.equal(201);
      expect(body.status).to.equal("processing");
      uploaded.set(entry.path, body);
    }
  });

  for (const entry of accepted) {
    it(`${entry.path} reaches ready with its ${entry.expected.asset_type} derivatives`, async () => {
      const asset = await settled(user, uploaded.get(entry.path).asset_id);
      expect(asset.status, asset.status_reason).to.equal("ready");
      const kinds = asset.derivatives.map((d: { kind: string }) => d.kind).sort();
      expect(kinds).to.deep.equal([...DERIVATIVES_BY_TYPE[entry.expected.asset_type as keyof typeof DERIVATIVES_BY_TYPE]].sort());
      expect(asset.urls.thumbnail).to.match(/\/v1\/files\/[0-9a-f-]+\/1\/thumbnail\?expires=\d+&user=[0-9a-f-]+&sig=/);
      expect(asset.urls.preview).to.match(/\/v1\/files\/[0-9a-f-]+\/1\/preview\?expires=/);

      const thumbnail = await sharp(await derivativeFile(asset.asset_id, "thumbnail")).metadata();
      expect([thumbnail.width, thumbnail.height]).to.deep.equal([150, 150]);

      const preview = await sharp(await derivativeFile(asset.asset_id, "preview")).metadata();
      const coverArt = entry.expected.asset_type === "audio" && entry.expected.embedded_cover_art_streams > 0;
      if (entry.expected.asset_type === "audio") expect(asset.metadata.has_cover_art, "has_cover_art").to.equal(coverArt);
      if (entry.expected.asset_type === "audio" && !coverArt) {
        expect([preview.format, preview.width, preview.height]).to.deep.equal(["png", 600, 160]);
      } else if (!coverArt) {
        // Scaling by a non-square sample aspect ratio may round either way by a pixel.
        const slack = entry.expected.asset_type === "video" ? 1 : 0;
        expect(Math.max(preview.width!, preview.height!), "preview's longest side").to.be.closeTo(expectedPreview(entry, asset.metadata).longest, slack);
        for (const image of [preview, thumbnail]) {
          expect(image.format).to.equal("webp");
          expect([image.exif, image.icc, image.xmp, image.iptc]).to.deep.equal([undefined, undefined, undefined, undefined]);
          expect(image.pages ?? 1, "a single frame").to.equal(1);
        }
      }

      if (entry.expected.asset_type === "audio") {
        const waveform = JSON.parse(fs.readFileSync(await derivativeFile(asset.asset_id, "waveform"), "utf8"));
        expect(waveform).to.include({ version: 2, channels: 1, bits: 8 });
        expect(waveform.data).to.have.length(2 * waveform.length);
        expect(waveform.data.every((p: number) => Number.isInteger(p) && p >= -128 && p <= 127)).to.equal(true);
        // The loudest peak agrees with ffmpeg's own measurement of the file (within 6 dB: the
        // waveform is a mono mix at 8 kHz), and a near-silent file draws a near-flat line.
        const loudest = Math.max(...waveform.data.map((p: number) => Math.abs(p) / 128));
        const measured = await maxVolume(path.join(FIXTURES, entry.path));
        // (less one 8-bit step, which rounding down may take off)
        if (measured > 1e-2) expect(loudest, `loudest peak vs ${measured}`).to.be.within(measured / 2 - 1 / 128, Math.min(1, measured * 2));
        // Below 1/128 of full scale, 8 bits hold only 0 or -1/128.
        else expect(loudest).to.be.at.most(1 / 128);
        const clip = await probeMedia(ffprobe, await derivativeFile(asset.asset_id, "clip"), "mp3", 10_000);
        // MP3 frames are up to 72 ms long at low sample rates: the clip ends on a frame boundary.
        expect(clip.durationSeconds).to.be.at.most(10.1 + 0.072);
        expect(clip.durationSeconds).to.be.closeTo(Math.min(10, asset.metadata.duration_seconds), 0.2);
      }
      if (entry.expected.asset_type === "video") {
        const clip = await probeMedia(ffprobe, await derivativeFile(asset.asset_id, "clip"), "mp4", 10_000);
        const video = clip.streams.find((s) => s.codecType === "video")!;
        expect(video.codecName).to.equal("h264");
        expect(Math.min(video.width!, video.height!)).to.be.at.most(360);
        expect(clip.durationSeconds).to.be.at.most(15.1);
        // The clip covers min(15 s, duration) of any source, variable frame rate included.
        expect(clip.durationSeconds).to.be.closeTo(Math.min(15, asset.metadata.duration_seconds), 0.25);
        expect(clip.streams.some((s) => s.codecType === "audio" && s.codecName === "aac")).to.equal(entry.expected.has_audio === true);
      }
    });
  }

  it("turns EXIF-rotated photos upright", async () => {
    for (const name of ["jpg-exif-orientation-6-stored-450x600.jpg", "jpg-exif-orientation-8-stored-600x450.jpg"]) {
      const source = path.join(FIXTURES, "image", name);
      const asset = await settled(user, uploaded.get(`image/${name}`).asset_id);
      const preview = await sharp(await derivativeFile(asset.asset_id, "preview")).metadata();
      expect([preview.width, preview.height], name).to.deep.equal([asset.metadata.display_width, asset.metadata.display_height]);
      // The thumbnail looks like the upright picture, not like the stored (sideways) pixels.
      const ours = await pixels(sharp(await derivativeFile(asset.asset_id, "thumbnail")));
      const upright = await pixels(sharp(source).rotate().resize(150, 150, { fit: "cover", position: "attention" }));
      const sideways = await pixels(sharp(source, { autoOrient: false }).resize(150, 150, { fit: "cover", position: "attention" }));
      expect(difference(ours, upright), name).to.be.lessThan(difference(ours, sideways) / 2);
    }
  });

  it("converts CMYK and 16-bit sources to 8-bit sRGB and keeps transparency", async () => {
    const checks: Array<[string, boolean]> = [
      ["image/jpg-cmyk-with-icc-profile.jpg", false],
      ["image/png-16bit-rgb-no-alpha.png", false],
      ["image/png-rgba-8bit-partially-transparent.png", true],
      ["image/webp-lossy-with-alpha.webp", true],
    ];
    for (const [file, alpha] of checks) {
      const asset = await settled(user, uploaded.get(file).asset_id);
      const stats = await sharp(await derivativeFile(asset.asset_id, "preview")).metadata();
      expect([stats.space, stats.depth, stats.hasAlpha], file).to.deep.equal(["srgb", "uchar", alpha]);
    }
  });

  it("strips EXIF, GPS included, from what it derives", async () => {
    const gpsPhoto = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#4a7" } })
      .jpeg()
      .withExif({ IFD0: { Make: "TestCam" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 2900/100", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 300/100" } })
      .toBuffer();
    expect((await sharp(gpsPhoto).metadata()).exif, "the source carries EXIF").to.not.equal(undefined);
    const { body } = await uploadRest(user, { bytes: gpsPhoto, filename: "where-i-was.jpg" });
    const asset = await settled(user, body.asset_id);
    for (const kind of ["thumbnail", "preview"]) {
      const bytes = fs.readFileSync(await derivativeFile(asset.asset_id, kind));
      expect((await sharp(bytes).metadata()).exif, kind).to.equal(undefined);
      expect(bytes.includes(Buffer.from("TestCam")), kind).to.equal(false);
    }
  });

  it("serves derivatives to their owner only", async () => {
    const asset = await settled(user, uploaded.get("image/png-rgb-8bit-200x133.png").asset_id);
    const route = asset.derivatives.find((d: { kind: string }) => d.kind === "thumbnail").url;
    const own = await fetch(route, { headers: user.auth });
    expect(own.status).to.equal(200);
    expect(own.headers.get("content-type")).to.equal("image/webp");
    const stranger = await newUser();
    expect((await fetch(route, { headers: stranger.auth })).status).to.equal(404);
    expect((await fetch(route.replace("thumbnail", "nonsense"), { headers: user.auth })).status).to.equal(404);
  });

  it("decodes a raster image once, in the job: the upload stores no derivative, the job makes both", async () => {
    const workers = testService().runtime.workers!;
    await workers.pause();
    let assetId: string;
    try {
      const { status, body } = await uploadRest(user, path.join(FIXTURES, "image/jpg-exif-orientation-6-stored-450x600.jpg"), { on_duplicate: "keep" });
      expect(status).to.equal(201);
      assetId = body.asset_id;
      expect(body.status).to.equal("processing");
      // The upload checked the file's structure and read its header; it decoded no pixel.
      expect(body.metadata).to.include({ width: 450, height: 600, display_width: 600, display_height: 450 });
      const [{ n }] = await testService().runtime.services.db.query(`SELECT count(*)::int AS n FROM asset_derivatives WHERE asset_id = $1`, [assetId]);
      expect(n).to.equal(0);
    } finally {
      await workers.resume();
    }
    const asset = await settled(user, assetId);
    expect(asset.status).to.equal("ready");
    expect(asset.derivatives.map((d: { kind: string; width: number; height: number }) => [d.kind, d.width, d.height]).sort()).to.deep.equal([
      ["preview", 600, 450],
      ["thumbnail", 150, 150],
    ]);
  });

  it("marks an image whose pixel data does not decode failed at its first attempt, with the reason", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "damaged-"));
    const damaged = path.join(dir, "damaged-pixels.png");
    writeDamagedPixelPng(path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"), damaged);
    const { status, body } = await uploadRest(user, damaged, { on_duplicate: "keep" });
    fs.rmSync(dir, { recursive: true, force: true });
    // Whole in structure, so the upload takes it; its one decode, in the job, finds the damage.
    expect(status, JSON.stringify(body)).to.equal(201);
    const asset = await settled(user, body.asset_id, 20_000);
    expect(asset.status).to.equal("failed");
    expect(asset.status_reason).to.match(/truncated or corrupt/);
    expect(asset.derivatives).to.deep.equal([]);
    const [{ attempts }] = await testService().runtime.services.db.query(`SELECT processing_attempts AS attempts FROM assets WHERE asset_id = $1`, [body.asset_id]);
    // No retry: a file that does not decode never will.
    expect(attempts).to.equal(1);
  });
});

/** ffmpeg's volumedetect maximum of the whole file, as a linear amplitude (0..1). */
async function maxVolume(file: string): Promise<number> {
  const { stderr } = await runTool(resolveMediaTools({}).ffmpeg, ["-hide_banner", "-nostdin", "-i", file, "-map", "0:a:0", "-af", "volumedetect", "-f", "null", "-"], { timeoutMs: 30_000 });
  const db = Number(/max_volume: (-?[\d.]+) dB/.exec(stderr)![1]);
  return 10 ** (db / 20);
}

async function pixels(image: sharp.Sharp): Promise<Buffer> {
  return image.removeAlpha().toColourspace("srgb").raw().toBuffer();
}

function difference(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) sum += Math.abs(a[i] - b[i]);
  return sum / Math.min(a.length, b.length);
}

import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import WaveformData from "waveform-data";
import { MAX_WAVEFORM_PIXELS, samplesPerPixel, WAVEFORM_RATE } from "../src/assets/derivatives/audio";
import { runTool, streamTool } from "../src/assets/media/run-tool";
import { resolveMediaTools } from "../src/assets/media/tool-paths";
import { derivativeFile, FIXTURES, newUser, settled, uploadRest, type TestUser } from "./helpers";
import { writeWav } from "./media-builders";

const ffmpeg = resolveMediaTools({}).ffmpeg;
const AUDIO = fs.readdirSync(path.join(FIXTURES, "audio")).map((name) => `audio/${name}`);

/** The stored waveform as peaks.js reads it: waveform-data's own JSON reader. */
async function waveformOf(assetId: string): Promise<WaveformData> {
  return WaveformData.create(JSON.parse(fs.readFileSync(await derivativeFile(assetId, "waveform"), "utf8")));
}

/**
 * The test's own decode (mono 16-bit at the waveform's rate) reduced per `perPixel` samples the
 * way audiowaveform's 8-bit output is: min and max of each run, divided by 256, rounded down.
 */
async function independentPeaks(file: string, perPixel: number): Promise<{ min: number[]; max: number[] }> {
  const chunks: Buffer[] = [];
  await streamTool(ffmpeg, ["-v", "error", "-nostdin", "-i", file, "-map", "0:a:0", "-ac", "1", "-ar", String(WAVEFORM_RATE), "-f", "s16le", "pipe:1"], {
    timeoutMs: 30_000,
    onStdout: (chunk) => chunks.push(chunk),
  });
  const pcm = Buffer.concat(chunks);
  const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length >> 1);
  const [min, max] = [[] as number[], [] as number[]];
  for (let start = 0; start < samples.length; start += perPixel) {
    const run = samples.subarray(start, start + perPixel);
    min.push(Math.floor(Math.min(...run) / 256));
    max.push(Math.floor(Math.max(...run) / 256));
  }
  return { min, max };
}

describe("audio derivatives that players and pages understand", function () {
  this.timeout(120_000);
  let user: TestUser;
  let dir: string;

  before(async () => {
    user = await newUser();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "audio-derivatives-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes a waveform peaks.js loads whose every pixel is the known signal's (silence, then two square waves)", async () => {
    // At the waveform's own rate and mono, nothing is resampled: the values are known exactly.
    const samples = new Int16Array(3 * WAVEFORM_RATE);
    for (let i = WAVEFORM_RATE; i < 3 * WAVEFORM_RATE; i++) {
      const amplitude = i < 2 * WAVEFORM_RATE ? 16384 : 8192;
      samples[i] = (i >> 3) % 2 === 0 ? amplitude : -amplitude;
    }
    const file = path.join(dir, "known.wav");
    writeWav(file, WAVEFORM_RATE, samples);
    const upload = await uploadRest(user, file);
    expect(upload.status, JSON.stringify(upload.body)).to.equal(201);
    expect((await settled(user, upload.body.asset_id)).status).to.equal("ready");

    const waveform = await waveformOf(upload.body.asset_id);
    expect([waveform.channels, waveform.sample_rate, waveform.scale, waveform.bits]).to.deep.equal([1, WAVEFORM_RATE, 80, 8]);
    expect(waveform.length).to.equal(300);
    expect(waveform.duration).to.equal(3);
    const channel = waveform.channel(0);
    const expected = (pixel: number) => (pixel < 100 ? [0, 0] : pixel < 200 ? [-64, 64] : [-32, 32]);
    for (let pixel = 0; pixel < waveform.length; pixel++) {
      expect([channel.min_sample(pixel), channel.max_sample(pixel)], `pixel ${pixel}`).to.deep.equal(expected(pixel));
    }
    // peaks.js zooms out by resampling the data itself.
    const zoomedOut = waveform.resample({ scale: 800 });
    expect(zoomedOut.length).to.equal(30);
    expect(zoomedOut.channel(0).max_sample(15)).to.equal(64);
  });

  for (const fixture of AUDIO) {
    it(`${fixture}: the waveform's length and values match an independent decode`, async () => {
      const upload = await uploadRest(user, path.join(FIXTURES, fixture));
      expect(upload.status, JSON.stringify(upload.body)).to.equal(201);
      const asset = await settled(user, upload.body.asset_id);
      expect(asset.status, asset.status_reason).to.equal("ready");
      const waveform = await waveformOf(asset.asset_id);
      expect(waveform.scale).to.equal(samplesPerPixel(asset.metadata.duration_seconds));
      const own = await independentPeaks(path.join(FIXTURES, fixture), waveform.scale);
      expect(waveform.length).to.equal(own.min.length);
      expect(waveform.channel(0).min_array()).to.deep.equal(own.min);
      expect(waveform.channel(0).max_array()).to.deep.equal(own.max);
    });
  }

  it("keeps a long recording's waveform to at most 6000 pixels", () => {
    expect(samplesPerPixel(3)).to.equal(80);
    expect(samplesPerPixel(3 * 3600)).to.equal(Math.ceil((3 * 3600 * WAVEFORM_RATE) / MAX_WAVEFORM_PIXELS));
    expect(Math.ceil((3 * 3600 * WAVEFORM_RATE) / samplesPerPixel(3 * 3600))).to.be.at.most(MAX_WAVEFORM_PIXELS);
  });

  for (const fixture of ["audio/mp3-id3v2-with-cover-art.mp3", "audio/m4a-alac-stereo-44k-with-cover-art.m4a"]) {
    it(`${fixture}: the thumbnail and preview are the embedded cover art, the waveform stays its own`, async () => {
      const owner = await newUser();
      const upload = await uploadRest(owner, path.join(FIXTURES, fixture));
      const asset = await settled(owner, upload.body.asset_id);
      expect(asset.status, asset.status_reason).to.equal("ready");
      expect(asset.metadata.has_cover_art).to.equal(true);
      expect(asset.derivatives.map((d: { kind: string }) => d.kind).sort()).to.deep.equal(["clip", "preview", "thumbnail", "waveform"]);

      // The art as the test extracts it, made into the same 150x150 cover crop by raw sharp.
      const art = path.join(dir, `${path.basename(fixture)}.png`);
      await runTool(ffmpeg, ["-v", "error", "-nostdin", "-y", "-i", path.join(FIXTURES, fixture), "-map", "0:v:0", "-frames:v", "1", art], { timeoutMs: 30_000 });
      const artSize = await sharp(art).metadata();
      const thumbnail = await derivativeFile(asset.asset_id, "thumbnail");
      const preview = await sharp(await derivativeFile(asset.asset_id, "preview")).metadata();
      expect([preview.format, Math.max(preview.width!, preview.height!)]).to.deep.equal(["webp", Math.min(600, Math.max(artSize.width!, artSize.height!))]);
      expect(preview.width! / preview.height!).to.be.closeTo(artSize.width! / artSize.height!, 0.02);
      const ours = await sharp(thumbnail).removeAlpha().raw().toBuffer();
      const raw = await sharp(art).resize(150, 150, { fit: "cover", position: "attention" }).removeAlpha().raw().toBuffer();
      let difference = 0;
      for (let i = 0; i < raw.length; i++) difference += Math.abs(ours[i] - raw[i]);
      expect(difference / raw.length, "mean difference per channel from the art's own thumbnail").to.be.lessThan(6);
      // A waveform drawing is blue lines on near-white: the art is not.
      const { dominant } = await sharp(thumbnail).stats();
      expect(dominant).to.not.deep.equal({ r: 248, g: 248, b: 248 });

      const waveform = await waveformOf(asset.asset_id);
      expect(waveform.duration).to.be.closeTo(asset.metadata.duration_seconds, 0.1);
    });
  }
});

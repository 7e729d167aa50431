import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import sharp from "sharp";
import type { DeriveContext } from "../src/assets/derivatives/derivative";
import { renderStills } from "../src/assets/derivatives/stills";
import { round3 } from "./measure";

/**
 * Thumbnail + preview of a 24-megapixel JPEG, images per second:
 * - ours: `renderStills`, exactly what the derivative job runs;
 * - raw_two_calls: two independent sharp thumbnail calls (what vipsthumbnail does per size);
 * - raw_one_decode: the leanest raw sharp sequence giving the same two files.
 * Rounds are interleaved so that drift in the machine hits every contender alike.
 */
export async function benchThumbnails(rounds = 8) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "thumb-bench-"));
  try {
    const source = path.join(dir, "24mp.jpg");
    await makePhotoLikeJpeg(source, 6000, 4000);
    const ctx: DeriveContext = {
      stagingPath: (kind, ext) => path.join(dir, `ours-${kind}.${ext}`),
      ffmpeg: "unused",
      timeoutMs: 60_000,
      maxImagePixels: 100_000_000,
    };
    const contenders: Record<string, () => Promise<unknown>> = {
      ours: () => renderStills(source, ctx),
      raw_two_calls: () =>
        Promise.all([
          sharp(source).rotate().resize(150, 150, { fit: "cover" }).webp({ quality: 80 }).toFile(path.join(dir, "raw2-thumb.webp")),
          sharp(source).rotate().resize(600, 600, { fit: "inside" }).webp({ quality: 82 }).toFile(path.join(dir, "raw2-preview.webp")),
        ]),
      raw_one_decode: async () => {
        const preview = await sharp(source).rotate().resize(600, 600, { fit: "inside" }).toBuffer();
        await Promise.all([
          sharp(preview).webp({ quality: 82 }).toFile(path.join(dir, "raw1-preview.webp")),
          sharp(preview).resize(150, 150, { fit: "cover" }).webp({ quality: 80 }).toFile(path.join(dir, "raw1-thumb.webp")),
        ]);
      },
    };
    const seconds: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
    for (const run of Object.values(contenders)) await run(); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (const [name, run] of Object.entries(contenders)) {
        const start = performance.now();
        await run();
        seconds[name].push((performance.now() - start) / 1000);
      }
    }
    const perSecond = (name: string) => 1 / median(seconds[name]);
    return {
      source: { width: 6000, height: 4000, bytes: (await fs.stat(source)).size },
      rounds,
      images_per_second: {
        ours: round3(perSecond("ours")),
        raw_two_calls: round3(perSecond("raw_two_calls")),
        raw_one_decode: round3(perSecond("raw_one_decode")),
      },
      ratio_to_raw_two_calls: round3(perSecond("ours") / perSecond("raw_two_calls")),
      ratio_to_raw_one_decode: round3(perSecond("ours") / perSecond("raw_one_decode")),
      goal_ratio: 0.8,
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** A 24 MP JPEG with photo-like detail (smooth gradients plus fine grain), made locally. */
export async function makePhotoLikeJpeg(target: string, width: number, height: number): Promise<void> {
  const grain = await sharp({ create: { width, height, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 18 } } }).raw().toBuffer();
  const gradient = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="#1e3a8a"/><stop offset="0.5" stop-color="#f59e0b"/><stop offset="1" stop-color="#065f46"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/><circle cx="${width / 2}" cy="${height / 2}" r="${height / 3}" fill="#fde68a" opacity="0.7"/></svg>`,
  );
  await sharp(gradient)
    .composite([{ input: grain, raw: { width, height, channels: 3 }, blend: "soft-light" }])
    .jpeg({ quality: 85, mozjpeg: false })
    .toFile(target);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

